import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/core/config.js';
import { AnthropicProvider } from '../src/providers/anthropic.js';
import { createHttpFetch } from '../src/providers/fetch.js';
import { createProvider } from '../src/providers/index.js';
import { OpenAIProvider } from '../src/providers/openai.js';
import { topicsRequest } from './server/fixtures.js';
import { startTestServer, type TestServer } from './server/index.js';

const ANSWER = JSON.stringify({ answer: 'ünïcode ok' });
const OPENAI_REPLY = {
  id: 'c1', object: 'chat.completion', created: 0, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: '{"topics":["a"]}', refusal: null }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};
const ANTHROPIC_REPLY = {
  id: 'm1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: '{"topics":["a"]}' }],
  stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 },
};

/** Edge cases the loopback API server does not produce. Each request's headers are kept. */
let own: Server;
let base: string;
let connections = 0;
const seen: Array<{ url: string; method: string; headers: IncomingMessage['headers']; body: string }> = [];
const held: ServerResponse[] = [];
let heldClosed: () => void = () => {};

function route(req: IncomingMessage, res: ServerResponse, body: string) {
  const path = new URL(req.url ?? '/', base).pathname;
  const json = { 'content-type': 'application/json' };
  if (path === '/echo') return res.writeHead(200, json).end(JSON.stringify({ method: req.method, headers: req.headers, body }));
  if (path === '/empty') return res.writeHead(204).end();
  if (path === '/unchanged') return res.writeHead(304, { etag: '"1"' }).end();
  if (path === '/repeated') {
    return res.writeHead(404, 'Nowhere Here', [['x-part', 'a'], ['x-part', 'b'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]).end('{"error":{"message":"no"}}');
  }
  const packed: Record<string, [string, Buffer]> = {
    '/gzip': ['gzip', gzipSync(ANSWER)], '/deflate': ['deflate', deflateSync(ANSWER)],
    '/deflate-raw': ['deflate', deflateRawSync(ANSWER)], '/br': ['br', brotliCompressSync(ANSWER)],
    '/gzip-then-br': ['gzip, br', brotliCompressSync(gzipSync(ANSWER))],
  };
  if (packed[path]) return res.writeHead(200, { ...json, 'content-encoding': packed[path][0] }).end(packed[path][1]);
  if (path === '/redirect') return res.writeHead(307, { location: '/echo?moved=1' }).end();
  if (path === '/see-other') return res.writeHead(303, { location: '/echo?done=1' }).end();
  if (path === '/hang') return void held.push(res);
  if (path === '/half') {
    res.on('close', () => heldClosed());
    held.push(res);
    return void res.writeHead(200, { ...json, 'content-length': '1000' }).write('{"partial":');
  }
  if (path === '/drop') return void req.socket.destroy();
  if (path === '/v1/chat/completions') return res.writeHead(200, json).end(JSON.stringify(OPENAI_REPLY));
  if (path === '/v1/messages') return res.writeHead(200, json).end(JSON.stringify(ANTHROPIC_REPLY));
  res.writeHead(500).end();
}

beforeAll(async () => {
  own = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      route(req, res, body);
    });
  });
  own.on('connection', () => connections++);
  await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await new Promise<void>((resolve) => {
    own.close(() => resolve());
    own.closeAllConnections();
  });
});

const httpFetch = createHttpFetch({ maxSockets: 4 });
const echo = async (init: RequestInit) => (await (await httpFetch(`${base}/echo`, init)).json()) as (typeof seen)[number];
const outcome = (promise: Promise<unknown>) => promise.then(() => null, (err: unknown) => err as Error & { cause?: { code?: string } });
const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('createHttpFetch', () => {
  it('sends the method, headers in every form and each body kind as the global fetch would', async () => {
    const forms: RequestInit['headers'][] = [new Headers({ 'X-Key': 'v' }), [['X-Key', 'v']], { 'X-Key': 'v' }];
    for (const headers of forms) expect((await echo({ method: 'POST', headers, body: 'x' })).headers['x-key']).toBe('v');

    const text = await echo({ method: 'post', body: 'héllo' });
    expect(text).toMatchObject({ method: 'POST', body: 'héllo' });
    expect(text.headers).toMatchObject({ 'content-type': 'text/plain;charset=UTF-8', 'content-length': '6', accept: '*/*' });
    const form = await echo({ method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) });
    expect(form).toMatchObject({ body: 'a=1&b=x+y', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' } });
    const bytes = new TextEncoder().encode('{"n":1}');
    const typed = await echo({ method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes.subarray(1, 6) });
    expect(typed).toMatchObject({ body: '"n":1', headers: { 'content-type': 'application/json', 'content-length': '5' } });
    expect((await echo({ method: 'PUT', body: Buffer.from('buf') })).body).toBe('buf');
    expect((await echo({ method: 'POST' })).headers['content-length']).toBe('0');
    await expect(httpFetch(`${base}/echo`, { body: 'x' })).rejects.toThrow(TypeError);
  });

  it('answers with a real Response: status text, repeated headers, the URL asked, an error status as an answer', async () => {
    const res = await httpFetch(`${base}/repeated?q=1#frag`);
    expect(res).toBeInstanceOf(Response);
    expect(res).toMatchObject({ status: 404, statusText: 'Nowhere Here', ok: false, url: `${base}/repeated?q=1` });
    expect(res.headers.get('x-part')).toBe('a, b');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.json()).toEqual({ error: { message: 'no' } });
  });

  it('gives 204, 304 and HEAD answers a null body', async () => {
    for (const [path, method, status] of [['/empty', 'GET', 204], ['/unchanged', 'GET', 304], ['/echo', 'HEAD', 200]] as const) {
      const res = await httpFetch(`${base}${path}`, { method });
      expect(res.status).toBe(status);
      expect(res.body).toBeNull();
    }
  });

  it('decodes gzip, deflate (zlib and raw), br and stacked encodings, keeping the headers as sent', async () => {
    for (const path of ['/gzip', '/deflate', '/deflate-raw', '/br', '/gzip-then-br']) {
      const res = await httpFetch(`${base}${path}`);
      expect(await res.text(), path).toBe(ANSWER);
      expect(res.headers.get('content-encoding')).toBeTruthy();
    }
  });

  it('keeps one connection alive for requests in sequence', async () => {
    await echo({});
    const before = connections;
    for (let i = 0; i < 5; i++) await echo({ method: 'POST', body: String(i) });
    expect(connections).toBe(before);
  });

  it('rejects an abort with the signal reason (an AbortError by default) and leaves no listener behind', async () => {
    const controller = new AbortController();
    const pending = outcome(httpFetch(`${base}/hang`, { signal: controller.signal }));
    await waitFor(() => held.length > 0);
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort();
    const err = await pending;
    expect(err).toBeInstanceOf(DOMException);
    expect(err?.name).toBe('AbortError');
    expect(abortListeners(controller.signal)).toBe(0);

    const reason = new Error('stopped by the user');
    expect(await outcome(httpFetch(`${base}/hang`, { signal: AbortSignal.abort(reason) }))).toBe(reason);
    const timedOut = await outcome(httpFetch(`${base}/hang`, { signal: AbortSignal.timeout(50) }));
    expect(timedOut?.name).toBe('TimeoutError');
  });

  it('an abort mid-answer rejects and closes the connection rather than pooling it', async () => {
    const controller = new AbortController();
    const closed = new Promise<void>((resolve) => (heldClosed = resolve));
    const pending = outcome(httpFetch(`${base}/half`, { signal: controller.signal }));
    await waitFor(() => seen.some((s) => s.url === '/half'));
    controller.abort();
    expect((await pending)?.name).toBe('AbortError');
    await closed;
  });

  it('fails a refused or reset connection as the global fetch does, with the socket error as cause', async () => {
    const dropped = await outcome(httpFetch(`${base}/drop`, { method: 'POST', body: '{}' }));
    expect(dropped).toBeInstanceOf(TypeError);
    expect(dropped?.message).toBe('fetch failed');
    expect(dropped?.cause?.code).toBe('ECONNRESET');
    const refused = await outcome(httpFetch(await closedPortUrl()));
    expect(refused).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(refused?.cause?.code).toBe('ECONNREFUSED');
  });

  it('removes its abort listener however the request ends', async () => {
    const signal = new AbortController().signal;
    await httpFetch(`${base}/echo`, { signal });
    await httpFetch(`${base}/repeated`, { signal });
    await outcome(httpFetch(`${base}/drop`, { signal }));
    await outcome(httpFetch(await closedPortUrl(), { signal }));
    expect(abortListeners(signal)).toBe(0);
  });

  it('hands stream and FormData bodies and repeatable redirects to the global fetch, which delivers them', async () => {
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('streamed')), c.close()) });
    expect((await echo({ method: 'POST', body: stream, duplex: 'half' } as RequestInit)).body).toBe('streamed');
    const form = new FormData();
    form.set('field', 'value');
    expect((await echo({ method: 'POST', body: form })).body).toContain('value');
    const moved = await httpFetch(`${base}/redirect`, { method: 'POST', body: 'again' });
    expect(moved).toMatchObject({ status: 200, redirected: true, url: `${base}/echo?moved=1` });
    expect(((await moved.json()) as { body: string }).body).toBe('again');
    expect(await httpFetch(`${base}/see-other`)).toMatchObject({ status: 200, redirected: true, url: `${base}/echo?done=1` });
  });

  it('never sends a POST twice: a 303 to a POST, which the server may have carried out, is the answer', async () => {
    const posts = () => seen.filter((s) => s.url === '/see-other').length;
    const before = posts();
    const res = await httpFetch(`${base}/see-other`, { method: 'POST', body: 'once' });
    expect(res).toMatchObject({ status: 303, redirected: false });
    expect(res.headers.get('location')).toBe('/echo?done=1');
    expect(posts()).toBe(before + 1);
  });
});

describe('the SDKs read its failures as they read the global fetch ones', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ seed: 3 });
  });
  afterAll(async () => {
    await api.close();
  });
  const clients = () => [
    { sdk: OpenAI, call: (c: any, o?: object) => c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, o),
      make: (url: string) => new OpenAI({ apiKey: 'k', baseURL: `${url}/v1`, maxRetries: 0, timeout: 300, fetch: createHttpFetch() }) },
    { sdk: Anthropic, call: (c: any, o?: object) => c.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, o),
      make: (url: string) => new Anthropic({ apiKey: 'k', baseURL: url, maxRetries: 0, timeout: 300, fetch: createHttpFetch() }) },
  ];

  it('answers, and maps a hang to a timeout, a drop or refusal to a connection error, a caller abort to a user abort', async () => {
    const refusedUrl = (await closedPortUrl()).replace(/\/$/, '');
    for (const { sdk, call, make } of clients()) {
      const client = make(api.url);
      api.setKnobs({ timeoutRate: 0, dropRate: 0 });
      expect(await call(client)).toBeTruthy();
      api.setKnobs({ timeoutRate: 1 });
      expect(await outcome(call(client))).toBeInstanceOf(sdk.APIConnectionTimeoutError);
      const aborted = await outcome(call(client, { signal: AbortSignal.timeout(50) }));
      expect(aborted).toBeInstanceOf(sdk.APIUserAbortError);
      api.setKnobs({ timeoutRate: 0, dropRate: 1 });
      const dropped = await outcome(call(client));
      expect(dropped).toBeInstanceOf(sdk.APIConnectionError);
      expect(dropped).not.toBeInstanceOf(sdk.APIConnectionTimeoutError);
      const refused = await outcome(call(make(refusedUrl)));
      expect(refused).toBeInstanceOf(sdk.APIConnectionError);
      expect(refused).not.toBeInstanceOf(sdk.APIConnectionTimeoutError);
    }
  });
});

describe('the providers send through it unless given a fetch', () => {
  // The global fetch (undici) always adds sec-fetch-mode; ours never does.
  const lastHeaders = () => seen.at(-1)!.headers;
  const options = { model: 'm', apiKey: 'k', timeoutMs: 5000 };

  it('is the default of OpenAIProvider, AnthropicProvider and createProvider', async () => {
    await fetch(`${base}/echo`);
    expect(lastHeaders()['sec-fetch-mode']).toBe('cors');
    await new OpenAIProvider({ ...options, baseUrl: `${base}/v1` }).generate(topicsRequest());
    expect(lastHeaders()['sec-fetch-mode']).toBeUndefined();
    await new AnthropicProvider({ ...options, baseUrl: base }).generate(topicsRequest());
    expect(lastHeaders()['sec-fetch-mode']).toBeUndefined();
    const config = parseConfigText('name: t\ntask: t\ndomain: d\nsize: 1\nprovider:\n  name: openai-compatible\n  model: m\n', 'test');
    await createProvider(config.provider, { OPENAI_BASE_URL: `${base}/v1` }).generate(topicsRequest());
    expect(seen.at(-1)!.url).toBe('/v1/chat/completions');
    expect(lastHeaders()['sec-fetch-mode']).toBeUndefined();
  });

  it('lets a caller-supplied fetch win', async () => {
    const urls: string[] = [];
    const recording: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    await new OpenAIProvider({ ...options, baseUrl: `${base}/v1`, fetch: recording }).generate(topicsRequest());
    await new AnthropicProvider({ ...options, baseUrl: base, fetch: recording }).generate(topicsRequest());
    expect(urls).toEqual([`${base}/v1/chat/completions`, `${base}/v1/messages`]);
    expect(lastHeaders()['sec-fetch-mode']).toBe('cors');
  });
});

async function closedPortUrl(): Promise<string> {
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  const { port } = spare.address() as AddressInfo;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
