/**
 * Anthropic Message Batches on the test server: create, retrieve, list, cancel, and the results JSONL at
 * `results_url` (this server's own origin: the SDK fetches that URL as given). Each request is answered by
 * the server's live Messages code (host.answerLine). Checked at creation as the real API does: custom_id
 * `^[a-zA-Z0-9_-]{1,64}$` and unique, at most 100,000 requests and 256 MB (knobs may lower both); a bad
 * `params` is not refused at creation but comes back as an errored result.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicDialect } from './anthropic.js';
import { DAY_MS, linesDue, pageOf, query, readBuffer, sendBytes, sendJson, type BatchHost } from './batch-host.js';
import type { Reply } from './dialect.js';
import { sleep } from './io.js';

const MAX_REQUESTS = 100_000;
const MAX_BYTES = 256 * 1024 * 1024;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

interface Request {
  custom_id: string;
  params: unknown;
}

interface Batch {
  id: string;
  createdAt: number;
  expiring: boolean;
  requests: Request[];
  results: string[];
  done: number;
  counts: { succeeded: number; errored: number; canceled: number; expired: number };
  status: 'in_progress' | 'canceling' | 'ended';
  cancelAt: number | null;
  endedAt: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const bad = (message: string, status = 400): Reply => anthropicDialect.error('bad_request', message, status);

export function anthropicBatchRouter(host: BatchHost) {
  const batches = new Map<string, Batch>();
  let ids = 0;

  const answer = (batch: Batch, request: Request) => {
    const reply = host.answerLine(anthropicDialect, request.params, 'anthropic.batch');
    if (reply.status === 200) {
      batch.results.push(JSON.stringify({ custom_id: request.custom_id, result: { type: 'succeeded', message: reply.body } }));
      batch.counts.succeeded++;
    } else {
      batch.results.push(JSON.stringify({ custom_id: request.custom_id, result: { type: 'errored', error: reply.body } }));
      batch.counts.errored++;
    }
  };

  const end = (batch: Batch, rest: 'canceled' | 'expired' | null, now: number) => {
    for (const request of batch.requests.slice(batch.done)) {
      if (!rest) break;
      batch.results.push(JSON.stringify({ custom_id: request.custom_id, result: { type: rest } }));
      batch.counts[rest]++;
    }
    batch.done = batch.requests.length;
    batch.status = 'ended';
    batch.endedAt = now;
  };

  const advance = (batch: Batch, now: number) => {
    if (batch.status === 'ended') return;
    if (batch.status === 'canceling') return end(batch, 'canceled', now);
    const knobs = host.knobs();
    const due = linesDue(batch.requests.length, batch.createdAt, now, knobs.batchProcessingMs, batch.expiring, knobs.batchExpireShare);
    while (batch.done < due) answer(batch, batch.requests[batch.done++]!);
    const windowOver = now >= batch.createdAt + Math.max(0, knobs.batchProcessingMs);
    if (batch.expiring && windowOver) end(batch, 'expired', now);
    else if (batch.done === batch.requests.length) end(batch, null, now);
  };

  const batchObject = (b: Batch) => {
    const ended = b.status === 'ended';
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: b.status,
      // As on the real API: the outcome counts stay zero until the whole batch has ended.
      request_counts: ended ? { processing: 0, ...b.counts } : { processing: b.requests.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: iso(b.endedAt),
      created_at: iso(b.createdAt),
      expires_at: iso(b.createdAt + DAY_MS),
      archived_at: null,
      cancel_initiated_at: iso(b.cancelAt),
      results_url: ended ? `${host.origin()}/v1/messages/batches/${b.id}/results` : null,
    };
  };

  const create = (raw: Buffer): Reply => {
    const knobs = host.knobs();
    const ordinal = host.nextBatchOrdinal();
    if (knobs.batchInvalid.includes(ordinal)) return bad('requests: invalid input (forced by the batchInvalid knob)');
    const maxBytes = knobs.batchMaxBytes ?? MAX_BYTES;
    const maxRequests = knobs.batchMaxLines ?? MAX_REQUESTS;
    if (raw.length > maxBytes) {
      return { status: 413, body: { type: 'error', error: { type: 'request_too_large', message: `Request exceeds the maximum allowed number of bytes (${maxBytes}).` } } };
    }
    let body: { requests?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return bad('The request body is not valid JSON.');
    }
    if (!Array.isArray(body.requests) || body.requests.length === 0) return bad('requests: at least one request is required');
    if (body.requests.length > maxRequests) return bad(`requests: at most ${maxRequests} requests are allowed in one batch, got ${body.requests.length}`);
    const seen = new Set<string>();
    const requests: Request[] = [];
    for (const [i, r] of (body.requests as Array<{ custom_id?: unknown; params?: unknown }>).entries()) {
      if (typeof r?.custom_id !== 'string' || !CUSTOM_ID.test(r.custom_id)) {
        return bad(`requests.${i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
      }
      if (seen.has(r.custom_id)) return bad(`requests.${i}.custom_id: custom_id values must be unique within a batch (${r.custom_id})`);
      seen.add(r.custom_id);
      if (!r.params || typeof r.params !== 'object') return bad(`requests.${i}.params: Field required`);
      requests.push({ custom_id: r.custom_id, params: r.params });
    }
    const batch: Batch = {
      id: `msgbatch_test${++ids}`,
      createdAt: Date.now(),
      expiring: knobs.batchExpire.includes(ordinal),
      requests,
      results: [],
      done: 0,
      counts: { succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      status: 'in_progress',
      cancelAt: null,
      endedAt: null,
    };
    batches.set(batch.id, batch);
    return { status: 200, body: batchObject(batch) };
  };

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const route = routeOf(method, path);
    const done = host.stats.begin(route ? `anthropic.${route.name}` : 'anthropic.batches.unknown');
    const raw = await readBuffer(req);
    const reply = (): Reply | null => {
      if (!route) return anthropicDialect.error('not_found', `Unknown request URL: ${method} ${path}.`);
      if (!anthropicDialect.apiKey(req.headers) || host.knobs().auth === 'invalid') return anthropicDialect.error('auth', 'invalid x-api-key');
      const now = Date.now();
      if (route.name === 'batches.create') return create(raw);
      if (route.name === 'batches.list') {
        for (const b of batches.values()) advance(b, now);
        const q = query(req);
        const limit = Math.min(1000, Math.max(1, Number(q.get('limit') ?? 20) || 20));
        const page = pageOf([...batches.values()].reverse(), limit, q.get('after_id'));
        const data = page.data.map(batchObject);
        return { status: 200, body: { data, has_more: page.has_more, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null } };
      }
      const batch = batches.get(route.id!);
      if (!batch) return anthropicDialect.error('not_found', `message_batch ${route.id} not found`);
      advance(batch, now);
      if (route.name === 'batches.cancel') {
        if (batch.status === 'in_progress') {
          batch.status = 'canceling';
          batch.cancelAt = now;
        }
        return { status: 200, body: batchObject(batch) };
      }
      if (route.name === 'batches.results') {
        if (batch.status !== 'ended') return bad(`Batch ${batch.id} has not ended yet; results are available once processing_status is ended.`);
        sendBytes(res, [...batch.results].reverse().map((l) => `${l}\n`).join(''), 'application/binary');
        return null;
      }
      return { status: 200, body: batchObject(batch) };
    };
    const out = reply();
    // Latency after the work, as a slow response: a client killed now leaves a batch it never heard of.
    await sleep(host.knobs().latencyMs);
    host.stats.status(out ? out.status : 200);
    if (out) sendJson(res, out);
    done();
  };
}

function routeOf(method: string, path: string): { name: string; id?: string } | null {
  if (path === '/v1/messages/batches') return method === 'POST' ? { name: 'batches.create' } : method === 'GET' ? { name: 'batches.list' } : null;
  const m = /^\/v1\/messages\/batches\/([^/]+)(\/cancel|\/results)?$/.exec(path);
  if (!m) return null;
  if (method === 'GET' && !m[2]) return { name: 'batches.retrieve', id: m[1] };
  if (method === 'POST' && m[2] === '/cancel') return { name: 'batches.cancel', id: m[1] };
  if (method === 'GET' && m[2] === '/results') return { name: 'batches.results', id: m[1] };
  return null;
}
