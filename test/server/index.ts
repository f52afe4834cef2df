/**
 * A loopback server that speaks OpenAI Chat Completions and Anthropic Messages well enough for the real
 * SDKs, answers with valid, distinct content for synthloom's schemas, and injects faults on command.
 * Tests in other processes drive it through /__control/*.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32, type Random } from '../../src/core/random.js';
import { judgeAnswer } from './judge.js';
import { repeatUnlessAvoided } from './repeat.js';
import { buildAnswer, breakAnswer, malformedText, schemaKind, type AnswerContext } from './answers.js';
import { anthropicDialect } from './anthropic.js';
import type { Answer, Dialect, ParsedRequest, RateSnapshot, Reply, Usage } from './dialect.js';
import { sendHostileBody, successText } from './hostile.js';
import { DEFAULT_KNOBS, drawFault, type Fault, type Knobs } from './knobs.js';
import { openaiDialect } from './openai.js';
import { mixSeed } from './random.js';
import { StatsRecorder, type ServerStats } from './stats.js';
import { answerText } from './text.js';
import { anthropicBatchRouter } from './anthropic-batch.js';
import type { BatchHost } from './batch-host.js';
import { openaiBatchRouter } from './openai-batch.js';
import { SlidingWindow } from './window.js';
import { latency, readBody, sleep, withoutAuth } from './io.js';

export type { Knobs } from './knobs.js';
export type { ServerStats, RecordedRequest } from './stats.js';

export interface TestServer {
  /** Origin, e.g. http://127.0.0.1:41234 */
  url: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  knobs(): Knobs;
  setKnobs(partial: Partial<Knobs>): void;
  stats(): ServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

// Without a rateLimit knob the headers advertise limits far above anything a test reaches, so the
// limiter learns "no practical limit" (as on a high account tier) and never paces an overhead benchmark.
const DEFAULT_REQUEST_LIMIT = 1_000_000;
const TOKEN_LIMIT = 1_000_000_000;
const TOKEN_WINDOW_MS = 60_000;
/** Below this many tokens a cache_control breakpoint does nothing (as on the real API). */
const MIN_CACHE_TOKENS = 1024;

const tokens = (chars: number) => Math.ceil(chars / 4);

export function checkKnobs(partial: unknown): Partial<Knobs> {
  if (!partial || typeof partial !== 'object' || Array.isArray(partial)) throw new Error('knobs must be a JSON object');
  for (const key of Object.keys(partial)) {
    if (!(key in DEFAULT_KNOBS)) throw new Error(`unknown knob "${key}"`);
  }
  return partial as Partial<Knobs>;
}

export async function startTestServer(initial: Partial<Knobs> = {}): Promise<TestServer> {
  let knobs: Knobs = { ...DEFAULT_KNOBS, ...checkKnobs(initial) };
  let faultRng: Random = mulberry32(knobs.seed);
  let counter = 0;
  const stats = new StatsRecorder();
  const requestWindow = new SlidingWindow();
  const tokenWindow = new SlidingWindow();
  const usedTopics = new Set<string>();
  const cachedPrefixes = new Set<string>();

  const setKnobs = (partial: Partial<Knobs>) => {
    const next = { ...knobs, ...checkKnobs(partial) };
    if (next.seed !== knobs.seed) faultRng = mulberry32(next.seed);
    knobs = next;
  };

  const rateSnapshot = (now: number): RateSnapshot => {
    const windowMs = knobs.rateLimit?.windowMs ?? 60_000;
    const limit = knobs.rateLimit?.requests ?? DEFAULT_REQUEST_LIMIT;
    return {
      // The real APIs advertise the limit per minute (RPM); remaining and reset describe the current window.
      limitRequests: Math.round((limit * 60_000) / windowMs),
      remainingRequests: Math.max(0, limit - requestWindow.used(now, windowMs)),
      resetRequestsMs: requestWindow.resetMs(now, windowMs),
      limitTokens: TOKEN_LIMIT,
      remainingTokens: Math.max(0, TOKEN_LIMIT - tokenWindow.used(now, TOKEN_WINDOW_MS)),
      resetTokensMs: tokenWindow.resetMs(now, TOKEN_WINDOW_MS),
    };
  };

  const send = (res: ServerResponse, dialect: Dialect | null, reply: Reply) => {
    if (res.destroyed || res.headersSent) return;
    stats.status(reply.status);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(reply.headers ?? {}) };
    if (dialect) Object.assign(headers, dialect.rateHeaders(rateSnapshot(Date.now())));
    res.writeHead(reply.status, headers).end(reply.status === 200 ? successText(reply.body, knobs) : JSON.stringify(reply.body));
  };

  const answerFor = (request: ParsedRequest, fault: Fault | null, n: number): { answer: Answer; usage: Usage } => {
    const ctx: AnswerContext = { rng: mulberry32(mixSeed(knobs.seed, n)), counter: n, inject: knobs.inject, usedTopics, wrongTurnsRate: knobs.wrongTurnsRate };
    const value = request.schema
      ? (judgeAnswer(request.schemaName, request.schema, ctx, knobs.judgeFailRate) ??
        repeatUnlessAvoided(buildAnswer(request.schemaName, request.schema, request.prompt, ctx), request.prompt, knobs.repeatUnlessAvoided, n))
      : { answer: answerText(ctx.rng) };
    let answer: Answer = { text: JSON.stringify(value), json: value, finish: 'stop' };
    if (fault === 'truncated') {
      answer = { text: answer.text.slice(0, Math.floor(answer.text.length * 0.6)), finish: 'length' };
    } else if (fault === 'malformed') {
      answer = { text: malformedText(ctx), finish: 'stop' };
    } else if (fault === 'schema_invalid') {
      const broken = breakAnswer(value, request.schemaName, request.schema ?? {});
      answer = { text: JSON.stringify(broken), json: broken, finish: 'stop' };
    } else if (fault === 'refusal') {
      answer = { text: "I'm sorry, but I can't help with that request.", finish: 'refusal' };
    } else if (tokens(answer.text.length) > request.maxTokens) {
      stats.fault('max_tokens_reached');
      answer = { text: answer.text.slice(0, request.maxTokens * 4), finish: 'length' };
    }
    const usage: Usage = { input: tokens(request.inputChars), output: tokens(answer.text.length), cacheRead: 0, cacheWrite: 0 };
    const system = request.cachedSystem;
    if (system && tokens(system.length) >= MIN_CACHE_TOKENS) {
      const cachedTokens = tokens(system.length);
      if (cachedPrefixes.has(system)) usage.cacheRead = cachedTokens;
      else usage.cacheWrite = cachedTokens;
      cachedPrefixes.add(system);
      usage.input = Math.max(0, usage.input - cachedTokens);
    } else if (knobs.cachedInputTokens > 0) {
      usage.cacheRead = Math.min(knobs.cachedInputTokens, usage.input);
      usage.input -= usage.cacheRead;
    }
    stats.usage(usage);
    return { answer, usage };
  };

  const handleApi = async (dialect: Dialect, req: IncomingMessage, res: ServerResponse) => {
    const end = stats.begin(dialect.endpoint);
    res.on('close', end);
    const n = ++counter;
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(res, dialect, dialect.error('bad_request', 'The request body is not valid JSON.'));
    }
    if (knobs.record) stats.record({ endpoint: dialect.endpoint, headers: withoutAuth(req), body });
    const key = dialect.apiKey(req.headers);
    if (!key) return send(res, dialect, dialect.error('auth', 'No API key provided. Send Authorization: Bearer <key>.'));
    if (knobs.auth === 'invalid') {
      stats.fault('auth');
      // Like the real APIs, echo (part of) the key: the client must keep it out of its own messages.
      return send(res, dialect, dialect.error('auth', `Incorrect API key provided: ${key}. You can find your API key in your account settings.`));
    }
    const invalid = dialect.validate(body, knobs);
    if (invalid) return send(res, dialect, invalid);
    if (knobs.quota) {
      stats.fault('quota');
      return send(res, dialect, dialect.error('quota', 'You exceeded your current quota, please check your plan and billing details.'));
    }
    const request = dialect.parse(body);
    stats.schema(request.schema ? schemaKind(request.schemaName, request.schema) : 'none');
    const now = Date.now();
    if (knobs.rateLimit) {
      const waitMs = requestWindow.tryTake(now, knobs.rateLimit.requests, knobs.rateLimit.windowMs);
      if (waitMs > 0) {
        stats.fault('rate_limit_window');
        return send(res, dialect, rateLimited(dialect, waitMs, knobs.rateLimit.requests));
      }
    } else {
      requestWindow.add(now);
    }
    tokenWindow.add(now, tokens(request.inputChars));
    const fault = drawFault(knobs, faultRng());
    const serverStatus = [500, 502, 503][Math.floor(faultRng() * 3)] ?? 500;
    if (fault) stats.fault(fault);
    if (fault === 'timeout') return; // hold until the client gives up (or the server closes)
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    await sleep(latency(knobs, faultRng()));
    if (res.destroyed) return;
    if (fault === 'rate_limit') return send(res, dialect, rateLimited(dialect, knobs.retryAfterS * 1000, 0));
    if (fault === 'overloaded') return send(res, dialect, dialect.error('overloaded', 'Overloaded'));
    if (fault === 'server_error') {
      return send(res, dialect, dialect.error('server', 'The server had an error while processing your request. Sorry about that!', serverStatus));
    }
    if (sendHostileBody(res, knobs)) return;
    send(res, dialect, respond(dialect, request, fault, n, dialect.endpoint, res));
  };

  /** The answer and its usage, billed under `usageKey`: the one path for live requests and batch lines. */
  const respond = (dialect: Dialect, request: ParsedRequest, fault: Fault | null, n: number, usageKey: string, res?: ServerResponse): Reply => {
    const { answer, usage } = answerFor(request, fault, n);
    tokenWindow.add(Date.now(), usage.output);
    stats.billedBy(usageKey, usage.input + usage.cacheRead + usage.cacheWrite, usage.output);
    // A live answer counts as delivered once its response was fully written (a killed client may miss it).
    res?.once('finish', () => stats.bill(usage));
    return dialect.success(request, answer, usage, n);
  };

  /** A batch line: the live path without transport (no latency, rate window or dropped socket). */
  const answerLine = (dialect: Dialect, body: unknown, usageKey: string): Reply => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return dialect.error('bad_request', 'The request body must be a JSON object.');
    const invalid = dialect.validate(body as Record<string, unknown>, knobs);
    if (invalid) return invalid;
    const request = dialect.parse(body as Record<string, unknown>);
    stats.schema(request.schema ? schemaKind(request.schemaName, request.schema) : 'none');
    if (faultRng() < knobs.batchLineErrorRate) {
      stats.fault('batch_line_error');
      return dialect.error('server', 'The server had an error while processing your request. Sorry about that!', 500);
    }
    const fault = drawFault(knobs, faultRng());
    if (fault) stats.fault(fault);
    if (fault === 'rate_limit') return rateLimited(dialect, knobs.retryAfterS * 1000, 0);
    if (fault === 'overloaded') return dialect.error('overloaded', 'Overloaded');
    if (fault === 'server_error' || fault === 'timeout' || fault === 'drop') return dialect.error('server', 'The server had an error while processing your request.', 500);
    return respond(dialect, request, fault, ++counter, usageKey);
  };

  let batchOrdinal = 0;
  const resetStats = () => {
    stats.reset();
    batchOrdinal = 0;
  };
  const host: BatchHost = {
    knobs: () => knobs,
    stats,
    origin: () => url,
    answerLine,
    draw: () => faultRng(),
    nextBatchOrdinal: () => ++batchOrdinal,
  };
  const openaiBatches = openaiBatchRouter(host);
  const anthropicBatches = anthropicBatchRouter(host);

  const control = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/__control/stats' && req.method === 'GET') return json(200, stats.snapshot());
    if (path === '/__control/knobs' && req.method === 'GET') return json(200, knobs);
    if (path === '/__control/reset' && req.method === 'POST') {
      resetStats();
      return json(200, { ok: true });
    }
    if (path === '/__control/knobs' && req.method === 'POST') {
      try {
        setKnobs(checkKnobs(JSON.parse((await readBody(req)) || '{}')));
        return json(200, knobs);
      } catch (err) {
        return json(400, { error: err instanceof Error ? err.message : String(err) });
      }
    }
    return json(404, { error: `no control endpoint ${req.method} ${path}` });
  };

  let url = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const task = (async () => {
      if (path.startsWith('/__control/')) return control(req, res, path);
      if (req.method === 'POST' && path === '/v1/chat/completions') return handleApi(openaiDialect, req, res);
      if (req.method === 'POST' && path === '/v1/messages') return handleApi(anthropicDialect, req, res);
      if (path.startsWith('/v1/messages/batches')) return anthropicBatches(req, res, path);
      if (path.startsWith('/v1/files') || path.startsWith('/v1/batches')) return openaiBatches(req, res, path);
      if (req.method === 'GET' && path === '/api/tags') {
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ models: [{ name: 'test-model:latest' }] }));
      }
      const dialect = path.startsWith('/v1/messages') ? anthropicDialect : openaiDialect;
      send(res, null, dialect.error('not_found', `Unknown request URL: ${req.method} ${path}.`));
    })();
    task.catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(err));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    knobs: () => ({ ...knobs }),
    setKnobs,
    stats: () => stats.snapshot(),
    resetStats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function rateLimited(dialect: Dialect, waitMs: number, limit: number): Reply {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const what = limit > 0 ? `Limit ${limit}, Used ${limit}, Requested 1. ` : '';
  const reply = dialect.error('rate_limit', `Rate limit reached for requests. ${what}Please try again in ${(waitMs / 1000).toFixed(3)}s.`);
  const headers: Record<string, string> = { 'retry-after': String(seconds) };
  if (dialect === openaiDialect) headers['retry-after-ms'] = String(Math.ceil(waitMs));
  return { ...reply, headers };
}
