/**
 * OpenAI Files + Batches on the test server: upload a JSONL file (purpose=batch), create a batch on it,
 * poll, list (with metadata), cancel, and read the output and error files. Each line is answered by the
 * server's live Chat Completions code (host.answerLine). Lines finish evenly over `batchProcessingMs`.
 * Validation as the real API does it: a bad file makes the batch `failed` with `errors`, not a 400.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DAY_MS, linesDue, pageOf, query, readBuffer, sendBytes, sendJson, type BatchHost } from './batch-host.js';
import type { Reply } from './dialect.js';
import { checkInputFile, ENDPOINT, type InputLine, type InputProblem } from './openai-batch-input.js';
import { sleep } from './io.js';
import { openaiDialect } from './openai.js';

const MAX_LINES = 50_000;
const MAX_BYTES = 200 * 1024 * 1024;

interface StoredFile {
  id: string;
  bytes: Buffer;
  filename: string;
  purpose: string;
  created_at: number;
}

interface Batch {
  id: string;
  inputFileId: string;
  metadata: Record<string, string> | null;
  createdAt: number;
  expiring: boolean;
  lines: InputLine[];
  /** Why validation refuses the file, decided at creation and shown from the first poll on. */
  invalid: InputProblem | null;
  status: 'validating' | 'in_progress' | 'finalizing' | 'completed' | 'failed' | 'expired' | 'cancelling' | 'cancelled';
  output: string[];
  errors: string[];
  done: number;
  completed: number;
  failed: number;
  outputFileId: string | null;
  errorFileId: string | null;
  times: Record<string, number | null>;
}

const fail = (status: number, message: string, param: string | null = null, code: string | null = null): Reply => ({
  status,
  body: { error: { message, type: 'invalid_request_error', param, code } },
});

export function openaiBatchRouter(host: BatchHost) {
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, Batch>();
  let ids = 0;
  const seconds = (ms: number) => Math.floor(ms / 1000);

  const storeFile = (bytes: Buffer, filename: string, purpose: string): StoredFile => {
    const file = { id: `file-test${++ids}`, bytes, filename, purpose, created_at: seconds(Date.now()) };
    files.set(file.id, file);
    return file;
  };
  const fileObject = (f: StoredFile) => ({ id: f.id, object: 'file', bytes: f.bytes.length, created_at: f.created_at, filename: f.filename, purpose: f.purpose, status: 'processed', status_details: null });

  const answer = (batch: Batch, line: InputLine) => {
    const reply = host.answerLine(openaiDialect, line.body, 'openai.batch');
    const entry = JSON.stringify({
      id: `batch_req_test${++ids}`,
      custom_id: line.custom_id,
      response: { status_code: reply.status, request_id: `req_test${ids}`, body: reply.body },
      error: null,
    });
    if (reply.status === 200) {
      batch.output.push(entry);
      batch.completed++;
    } else {
      batch.errors.push(entry);
      batch.failed++;
    }
  };

  const finish = (batch: Batch, status: 'completed' | 'expired' | 'cancelled', now: number) => {
    const code = status === 'expired' ? 'batch_expired' : 'batch_cancelled';
    for (const line of batch.lines.slice(batch.done)) {
      batch.errors.push(JSON.stringify({ id: `batch_req_test${++ids}`, custom_id: line.custom_id, response: null, error: { code, message: `This request could not be executed before the batch was ${status}.` } }));
      batch.failed++;
    }
    batch.done = batch.lines.length;
    if (batch.output.length > 0) batch.outputFileId = storeFile(Buffer.from([...batch.output].reverse().map((l) => `${l}\n`).join('')), `${batch.id}_output.jsonl`, 'batch_output').id;
    if (batch.errors.length > 0) batch.errorFileId = storeFile(Buffer.from(batch.errors.map((l) => `${l}\n`).join('')), `${batch.id}_error.jsonl`, 'batch_output').id;
    batch.status = status;
    batch.times[status === 'completed' ? 'completed_at' : status === 'expired' ? 'expired_at' : 'cancelled_at'] = seconds(now);
    batch.times.finalizing_at ??= seconds(now);
  };

  /** Moves a batch on to where it would be at `now`. */
  const advance = (batch: Batch, now: number) => {
    if (batch.status === 'validating') {
      if (batch.invalid) {
        batch.status = 'failed';
        batch.times.failed_at = seconds(now);
        return;
      }
      batch.status = 'in_progress';
      batch.times.in_progress_at = seconds(now);
    }
    if (batch.status === 'cancelling') return finish(batch, 'cancelled', now);
    if (batch.status !== 'in_progress') return;
    const knobs = host.knobs();
    const due = linesDue(batch.lines.length, batch.createdAt, now, knobs.batchProcessingMs, batch.expiring, knobs.batchExpireShare);
    while (batch.done < due) answer(batch, batch.lines[batch.done++]!);
    const windowOver = now >= batch.createdAt + Math.max(0, knobs.batchProcessingMs);
    if (batch.expiring && windowOver) finish(batch, 'expired', now);
    else if (batch.done === batch.lines.length) finish(batch, 'completed', now);
  };

  const batchObject = (b: Batch) => ({
    id: b.id,
    object: 'batch',
    endpoint: ENDPOINT,
    errors: b.status === 'failed' && b.invalid ? { object: 'list', data: [{ code: b.invalid.code, message: b.invalid.message, param: null, line: b.invalid.line }] } : null,
    input_file_id: b.inputFileId,
    completion_window: '24h',
    status: b.status,
    output_file_id: b.outputFileId,
    error_file_id: b.errorFileId,
    created_at: seconds(b.createdAt),
    expires_at: seconds(b.createdAt + DAY_MS),
    in_progress_at: null,
    finalizing_at: null,
    completed_at: null,
    failed_at: null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    ...b.times,
    request_counts: { total: b.lines.length, completed: b.completed, failed: b.failed },
    metadata: b.metadata,
  });

  const create = (raw: Buffer): Reply => {
    let body: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return fail(400, 'The request body is not valid JSON.');
    }
    const file = typeof body.input_file_id === 'string' ? files.get(body.input_file_id) : undefined;
    if (!file) return fail(400, `No file with id ${String(body.input_file_id)}.`, 'input_file_id');
    if (file.purpose !== 'batch') return fail(400, 'The input file must have purpose "batch".', 'input_file_id');
    if (body.endpoint !== ENDPOINT) return fail(400, `Unsupported endpoint ${String(body.endpoint)}.`, 'endpoint', 'invalid_value');
    if (body.completion_window !== '24h') return fail(400, "completion_window must be '24h'.", 'completion_window', 'invalid_value');
    const metadata = body.metadata ?? null;
    if (metadata !== null) {
      const entries = typeof metadata === 'object' && !Array.isArray(metadata) ? Object.entries(metadata) : null;
      if (!entries || entries.length > 16 || entries.some(([k, v]) => k.length > 64 || typeof v !== 'string' || v.length > 512)) {
        return fail(400, 'metadata: at most 16 string pairs, keys up to 64 and values up to 512 characters.', 'metadata');
      }
    }
    const ordinal = host.nextBatchOrdinal();
    const knobs = host.knobs();
    const checked = checkInputFile(file.bytes, knobs.batchMaxLines ?? MAX_LINES, knobs.batchMaxBytes ?? MAX_BYTES);
    const lines = checked.lines;
    let invalid = checked.invalid;
    if (!invalid && knobs.batchInvalid.includes(ordinal)) {
      invalid = { code: 'invalid_request', message: 'The input file is invalid (forced by the batchInvalid knob).', line: 1 };
    }
    const now = Date.now();
    const batch: Batch = {
      id: `batch_test${++ids}`,
      inputFileId: file.id,
      metadata: metadata as Record<string, string> | null,
      createdAt: now,
      expiring: knobs.batchExpire.includes(ordinal),
      lines,
      invalid,
      status: 'validating',
      output: [],
      errors: [],
      done: 0,
      completed: 0,
      failed: 0,
      outputFileId: null,
      errorFileId: null,
      times: {},
    };
    batches.set(batch.id, batch);
    return { status: 200, body: batchObject(batch) };
  };

  const upload = async (req: IncomingMessage, raw: Buffer): Promise<Reply> => {
    let form: FormData;
    try {
      form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: raw }).formData();
    } catch {
      return fail(400, 'The upload must be multipart/form-data with a file and a purpose.');
    }
    const purpose = form.get('purpose');
    const file = form.get('file');
    if (purpose !== 'batch') return fail(400, `Unsupported purpose ${String(purpose)}; this server takes purpose=batch.`, 'purpose');
    if (!file || typeof file === 'string') return fail(400, 'file is required.', 'file');
    const stored = storeFile(Buffer.from(await file.arrayBuffer()), file.name || 'upload.jsonl', 'batch');
    return { status: 200, body: fileObject(stored) };
  };

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const route = routeOf(method, path);
    const end = host.stats.begin(route ? `openai.${route.name}` : 'openai.batch.unknown');
    const raw = await readBuffer(req);
    const reply = async (): Promise<Reply | null> => {
      if (!route) return openaiDialect.error('not_found', `Unknown request URL: ${method} ${path}.`);
      const key = openaiDialect.apiKey(req.headers);
      if (!key || host.knobs().auth === 'invalid') return openaiDialect.error('auth', 'Incorrect API key provided.');
      const now = Date.now();
      const batch = route.id ? batches.get(route.id) : undefined;
      switch (route.name) {
        case 'files.create':
          return upload(req, raw);
        case 'files.retrieve':
        case 'files.content': {
          const file = files.get(route.id!);
          if (!file) return fail(404, `No such File object: ${route.id}`, 'id');
          if (route.name === 'files.retrieve') return { status: 200, body: fileObject(file) };
          sendBytes(res, file.bytes, 'application/octet-stream');
          return null;
        }
        case 'batches.create':
          return create(raw);
        case 'batches.list': {
          for (const b of batches.values()) advance(b, now);
          const q = query(req);
          const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? 20) || 20));
          const newestFirst = [...batches.values()].reverse();
          const page = pageOf(newestFirst, limit, q.get('after'));
          const data = page.data.map(batchObject);
          return { status: 200, body: { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: page.has_more } };
        }
        case 'batches.retrieve':
        case 'batches.cancel': {
          if (!batch) return fail(404, `No batch found with id '${route.id}'.`, 'batch_id');
          advance(batch, now);
          if (route.name === 'batches.cancel') {
            if (batch.status !== 'in_progress' && batch.status !== 'validating') return fail(409, `Cannot cancel a batch with status '${batch.status}'.`);
            batch.status = 'cancelling';
            batch.times.cancelling_at = Math.floor(now / 1000);
          }
          return { status: 200, body: batchObject(batch) };
        }
      }
      return openaiDialect.error('not_found', `Unknown request URL: ${method} ${path}.`);
    };
    const out = await reply();
    // Latency after the work, as a slow response: a client killed now leaves a batch it never heard of.
    await sleep(host.knobs().latencyMs);
    if (out) {
      host.stats.status(out.status);
      sendJson(res, out);
    } else {
      host.stats.status(200);
    }
    end();
  };
}

function routeOf(method: string, path: string): { name: string; id?: string } | null {
  if (method === 'POST' && path === '/v1/files') return { name: 'files.create' };
  let m = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
  if (m && method === 'GET') return { name: m[2] ? 'files.content' : 'files.retrieve', id: m[1] };
  if (path === '/v1/batches') return method === 'POST' ? { name: 'batches.create' } : method === 'GET' ? { name: 'batches.list' } : null;
  m = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
  if (m && method === 'GET' && !m[2]) return { name: 'batches.retrieve', id: m[1] };
  if (m && method === 'POST' && m[2]) return { name: 'batches.cancel', id: m[1] };
  return null;
}
