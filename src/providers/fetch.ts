/**
 * The fetch the provider SDKs use: node:http / node:https with keep-alive agents, the whole answer read
 * before its `Response` is made. Node 20's built-in fetch (undici) keeps each request's abort wiring behind
 * weak references that the young-generation GC keeps alive, so every request's fetch state (streams, body
 * copy, headers) is promoted to the old generation and the heap grows until a full GC. Here a request holds
 * one listener on its signal and removes it when the request ends, whichever way it ends.
 *
 * It covers what the SDKs send: a string, bytes or URLSearchParams body, any form of headers, a signal.
 * Anything else (a stream, FormData or Blob body, a Request object, a non-http URL, a `redirect` mode
 * other than follow, a redirect it may repeat) goes to the global fetch rather than being half-supported.
 * Failures look like the global fetch's, which the SDKs classify: an abort rejects with the signal's reason
 * (a DOMException named AbortError unless the caller gave another), a broken connection with
 * `TypeError('fetch failed')` whose cause carries the socket error (ECONNREFUSED, ECONNRESET, ...).
 * The answer is buffered, so this is not for streamed (SSE) answers; synthloom asks for none.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { brotliDecompress, constants as zlib, gunzip, inflate, inflateRaw } from 'node:zlib';

export interface HttpFetchOptions {
  /** Sockets per origin: at least the number of requests in flight, or requests queue here. Default 64. */
  maxSockets?: number;
  /** Largest answer body, in bytes, both as received and once decompressed, for a request that sets no cap of its own. Default 64 MiB. */
  maxBodyBytes?: number;
}

/**
 * The per-request body cap: a key of the fetch `init` (the SDKs pass `fetchOptions` through to fetch), so
 * no header carries it. Its value is a byte count; see `bodyCapFor`.
 */
export const BODY_CAP_KEY = 'synthloomMaxBodyBytes';
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The cap for an answer of at most `maxOutputTokens` tokens: 64 bytes a token (a token is ~4 characters;
 * a long whitespace or symbol token, JSON escapes like \u0000 and the SDK envelope stay far below 64) plus
 * 1 MiB for the envelope and error bodies. 16k tokens: 2 MiB.
 */
export function bodyCapFor(maxOutputTokens: number): number {
  return 1024 * 1024 + Math.max(0, Math.ceil(maxOutputTokens)) * 64;
}

/** `fetchOptions` for an SDK request whose answer is capped at `bytes`. */
export function bodyCapOption(bytes: number): Record<never, never> {
  return { [BODY_CAP_KEY]: bytes };
}

/** An answer body over its cap (as sent, or decompressed). The socket has been destroyed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number, readonly decompressed: boolean) {
    super(`the answer body is over ${limit} bytes${decompressed ? ' once decompressed' : ''}: the server is broken or hostile`);
    this.name = 'BodyTooLargeError';
  }
}

/** Statuses whose response has no body, whatever the server sent. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

interface Outgoing {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

interface Received {
  response: IncomingMessage;
  body: Buffer;
}

/** A body the SDKs do not send here: the global fetch handles it. */
const ELSEWHERE = Symbol('global fetch');

export function createHttpFetch(opts: HttpFetchOptions = {}): typeof fetch {
  const maxSockets = opts.maxSockets ?? 64;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
  const defaultCap = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async function httpFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const url = typeof input === 'string' ? parseUrl(input) : input instanceof URL ? input : null;
    const body = requestBody(init?.body);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || body === ELSEWHERE || (init?.redirect ?? 'follow') !== 'follow') {
      return globalThis.fetch(input, init);
    }
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    const method = normalizeMethod(init?.method ?? 'GET');
    if (body && (method === 'GET' || method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.');
    const headers = requestHeaders(init?.headers, body, method);
    const agent = url.protocol === 'https:' ? httpsAgent : httpAgent;
    const cap = capOf(init) ?? defaultCap;
    const received = await exchange({ url, method, headers, body: body?.bytes ?? null }, agent, signal, cap);
    if (repeatElsewhere(received.response, method)) return globalThis.fetch(input, init);
    return toResponse(received, url, method, cap);
  } as typeof fetch;
}

function capOf(init: RequestInit | undefined): number | undefined {
  const value = (init as Record<string, unknown> | undefined)?.[BODY_CAP_KEY];
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/**
 * Redirects (rare for an API) are the global fetch's job: it knows which headers may follow one. It sends
 * the request again, so only where that is safe: the server did not act on a 307/308, and a GET or HEAD
 * can be repeated. A POST answered 301/302/303 may have been carried out: that answer is returned as is.
 */
function repeatElsewhere(response: IncomingMessage, method: string): boolean {
  const status = response.statusCode ?? 0;
  if (!REDIRECT_STATUS.has(status) || !response.headers.location) return false;
  return status === 307 || status === 308 || method === 'GET' || method === 'HEAD';
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null; // the global fetch rejects it with its own message
  }
}

function requestBody(body: RequestInit['body']): { bytes: Buffer; type?: string } | null | typeof ELSEWHERE {
  if (body == null) return null;
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) {
    return { bytes: Buffer.from(body.toString(), 'utf8'), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  if (ArrayBuffer.isView(body)) return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  if (body instanceof ArrayBuffer) return { bytes: Buffer.from(body) };
  return ELSEWHERE;
}

/** The methods fetch upper-cases; others (PATCH among them) are sent as given, as fetch does. */
function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}

function requestHeaders(init: RequestInit['headers'], body: { bytes: Buffer; type?: string } | null, method: string) {
  const headers: Record<string, string> = {};
  // new Headers() accepts every form (Headers, [name, value][], record) and validates like fetch does.
  (init instanceof Headers ? init : new Headers(init)).forEach((value, name) => {
    headers[name] = value;
  });
  headers.accept ??= '*/*';
  if (body?.type) headers['content-type'] ??= body.type;
  if (body) headers['content-length'] = String(body.bytes.byteLength);
  else if (method === 'POST' || method === 'PUT') headers['content-length'] = '0';
  else delete headers['content-length'];
  return headers;
}

/** One request and its whole answer. The abort listener lives exactly as long as the request. */
function exchange(out: Outgoing, agent: HttpAgent, signal: AbortSignal | undefined, cap: number): Promise<Received> {
  return new Promise<Received>((resolve, reject) => {
    const send = out.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(out.url, { method: out.method, headers: out.headers, agent });
    let settled = false;
    const end = () => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: unknown) => {
      if (settled) return;
      end();
      request.destroy();
      reject(err);
    };
    const onAbort = () => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (err) => fail(new TypeError('fetch failed', { cause: err })));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) {
          // Stop reading at once: the socket goes, not back to the pool.
          response.destroy();
          fail(new TypeError('fetch failed', { cause: new BodyTooLargeError(cap, false) }));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (err) => fail(new TypeError('fetch failed', { cause: err })));
      response.on('close', () => {
        if (!response.complete) fail(new TypeError('fetch failed', { cause: new Error('the connection closed mid-answer') }));
      });
      response.on('end', () => {
        if (settled) return;
        end();
        resolve({ response, body: Buffer.concat(chunks) });
      });
    });
    request.end(out.body ?? undefined);
  });
}

async function toResponse({ response, body }: Received, url: URL, method: string, cap: number): Promise<Response> {
  const status = response.statusCode ?? 0;
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // a header a Headers object cannot hold (the global fetch would fail the whole answer on it)
    }
  }
  const noBody = NULL_BODY_STATUS.has(status) || method === 'HEAD';
  let result: Response;
  try {
    const content = noBody ? null : await decode(body, response.headers['content-encoding'], cap);
    result = new Response(content, { status, statusText: reasonPhrase(response.statusMessage), headers });
  } catch (err) {
    // A status outside 200-599 or a body that does not decode: as the global fetch, a failed fetch.
    throw new TypeError('fetch failed', { cause: err });
  }
  Object.defineProperty(result, 'url', { value: url.href.replace(/#.*$/, ''), enumerable: true });
  return result;
}

/** The status text fetch accepts (HTAB, SP, visible and obs-text characters), else none. */
function reasonPhrase(text: string | undefined): string {
  return text && /^[\t\x20-\x7e\x80-\xff]*$/.test(text) ? text : '';
}

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress);
// Lenient about a missing end, as the global fetch is (servers do cut gzip streams short).
const ZLIB_LENIENT = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
const BROTLI_LENIENT = { flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH };

/**
 * Undoes Content-Encoding (codings applied in order, so undone last first); an unknown one leaves the body as
 * sent. Each step stops at `cap` bytes of output (zlib's maxOutputLength), so a gzip bomb costs at most the cap.
 */
async function decode(body: Buffer, encoding: string | undefined, cap: number): Promise<Buffer> {
  if (!encoding || body.length === 0) return body;
  const codings = encoding.toLowerCase().split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity');
  if (codings.some((c) => !['gzip', 'x-gzip', 'deflate', 'br'].includes(c))) return body;
  let out = body;
  const zlibOptions = { ...ZLIB_LENIENT, maxOutputLength: cap };
  try {
    for (const coding of codings.reverse()) {
      if (coding === 'br') out = await brotliAsync(out, { ...BROTLI_LENIENT, maxOutputLength: cap });
      else if (coding === 'deflate') out = await ((out[0]! & 0x0f) === 0x08 ? inflateAsync : inflateRawAsync)(out, zlibOptions);
      else out = await gunzipAsync(out, zlibOptions);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw new BodyTooLargeError(cap, true);
    throw err;
  }
  if (out.length > cap) throw new BodyTooLargeError(cap, true);
  return out;
}
