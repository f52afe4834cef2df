/**
 * OpenAI Batch through the official SDK: a chunk becomes one JSONL file (`POST /v1/files`, purpose=batch)
 * and one batch on it (`POST /v1/batches`, 24 h window, metadata {synthloom_session, synthloom_chunk});
 * results are read from the output and error files. Each line's body is built by openAIBody and each
 * answer read by openAIResult, the functions the live provider uses, so batch and live ask and read alike.
 *
 * Submission calls are never retried by the SDK (a retried create after a lost response could make two
 * batches; a resume finds a lost one through list()). Polls, lists and reads keep the SDK's 2 retries.
 */
import { createHash } from 'node:crypto';
import OpenAI, { APIError, toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { OPENAI_BATCH_LIMITS } from '../core/batch/chunk.js';
import type { BatchClient, BatchLimits, BatchLine, BatchLineResult, BatchListFilter, BatchMeta, BatchState, BatchStatus, BatchSummary } from '../core/batch/types.js';
import { createHttpFetch } from './fetch.js';
import { openAIBody, OpenAIProvider, openAIResult } from './openai.js';
import type { ProviderOptions } from './types.js';

const ENDPOINT = '/v1/chat/completions';
const NO_RETRY = { maxRetries: 0 } as const;

export interface OpenAIBatchClientOptions extends Omit<ProviderOptions, 'name'> {
  /** Lower limits than the API's (tests, or smaller batches). */
  limits?: Partial<BatchLimits>;
}

export class OpenAIBatchClient implements BatchClient {
  readonly provider = 'openai' as const;
  readonly hasMetadata = true;
  readonly model: string;
  readonly limits: BatchLimits;
  private readonly client: OpenAI;
  /** The live provider: its error mapping turns batch failures into the same ProviderErrors. */
  private readonly live: OpenAIProvider;

  constructor(options: OpenAIBatchClientOptions) {
    this.live = new OpenAIProvider({ ...options, name: 'openai' }); // refuses a missing key as live does
    this.model = options.model;
    this.limits = { ...OPENAI_BATCH_LIMITS, ...options.limits };
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? undefined,
      maxRetries: 2,
      timeout: options.timeoutMs,
      fetch: options.fetch ?? createHttpFetch(),
    });
  }

  /** The JSONL line of one request, exactly as uploaded. */
  line(line: BatchLine): string {
    const body = openAIBody('openai', this.model, line.request, 'json_schema');
    return JSON.stringify({ custom_id: line.customId, method: 'POST', url: ENDPOINT, body });
  }

  lineBytes(line: BatchLine): number {
    return Buffer.byteLength(this.line(line), 'utf8') + 1;
  }

  async submit(chunk: readonly BatchLine[], meta: BatchMeta, signal?: AbortSignal): Promise<{ batchId: string }> {
    return this.call(signal, async () => {
      const jsonl = chunk.map((l) => `${this.line(l)}\n`).join('');
      const file = await this.client.files.create(
        { file: await toFile(Buffer.from(jsonl, 'utf8'), `synthloom-${meta.chunk}.jsonl`, { type: 'application/jsonl' }), purpose: 'batch' },
        { ...NO_RETRY, signal },
      );
      const batch = await this.client.batches.create(
        {
          input_file_id: file.id,
          endpoint: ENDPOINT,
          completion_window: '24h',
          metadata: { synthloom_session: metaValue(meta.session), synthloom_chunk: metaValue(meta.chunk) },
        },
        { ...NO_RETRY, signal },
      );
      return { batchId: batch.id };
    });
  }

  async poll(batchId: string, signal?: AbortSignal): Promise<BatchStatus> {
    const batch = await this.call(signal, () => this.client.batches.retrieve(batchId, { signal }));
    return toStatus(batch);
  }

  async *results(batchId: string, signal?: AbortSignal): AsyncIterable<BatchLineResult> {
    const batch = await this.call(signal, () => this.client.batches.retrieve(batchId, { signal }));
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      const response = await this.call(signal, () => this.client.files.content(fileId, { signal }));
      for await (const text of lines(response)) {
        if (text.trim()) yield this.readLine(text);
      }
    }
  }

  async list(filter: BatchListFilter, signal?: AbortSignal): Promise<BatchSummary[]> {
    return this.call(signal, async () => {
      const out: BatchSummary[] = [];
      const session = metaValue(filter.session);
      for await (const batch of this.client.batches.list({ limit: 100 }, { signal })) {
        if (filter.createdAfter !== undefined && batch.created_at * 1000 < filter.createdAfter) break; // newest first
        const m = batch.metadata ?? {};
        if (m.synthloom_session !== session || typeof m.synthloom_chunk !== 'string') continue;
        const status = toStatus(batch);
        out.push({ ...status, meta: { session: filter.session, chunk: m.synthloom_chunk } });
      }
      return out;
    });
  }

  async cancel(batchId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.batches.cancel(batchId, { signal });
    } catch (err) {
      // 409: the batch has already finished (or is being cancelled); nothing left to cancel.
      if (err instanceof APIError && err.status === 409) return;
      throw this.live.toProviderError(err, signal);
    }
  }

  private readLine(text: string): BatchLineResult {
    const line = JSON.parse(text) as {
      custom_id: string;
      response: { status_code: number; body: unknown } | null;
      error: { code?: string; message?: string } | null;
    };
    const customId = line.custom_id;
    if (line.response && line.response.status_code === 200) {
      const body = { messages: [] } as unknown as ChatCompletionCreateParamsNonStreaming;
      return { customId, ok: true, result: openAIResult(line.response.body as ChatCompletion, body, this.model) };
    }
    if (line.response) {
      const failure = this.live.toProviderError(APIError.generate(line.response.status_code, line.response.body as object, undefined, new Headers()), undefined);
      return { customId, ok: false, failure: { kind: 'errored', failureKind: failure.kind, message: failure.message, status: failure.status } };
    }
    const code = line.error?.code ?? '';
    const message = `openai batch: ${line.error?.message ?? code ?? 'the line has no answer'}`;
    if (code === 'batch_expired') return { customId, ok: false, failure: { kind: 'expired', failureKind: 'timeout', message } };
    if (code === 'batch_cancelled') return { customId, ok: false, failure: { kind: 'canceled', failureKind: 'network', message } };
    return { customId, ok: false, failure: { kind: 'errored', failureKind: 'server', message } };
  }

  private async call<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw this.live.toProviderError(err, signal);
    }
  }
}

const STATES: Record<Batch['status'], BatchState> = {
  validating: 'validating',
  in_progress: 'in_progress',
  finalizing: 'finalizing',
  completed: 'ended',
  expired: 'ended',
  cancelled: 'ended',
  cancelling: 'cancelling',
  failed: 'failed',
};

function toStatus(batch: Batch): BatchStatus {
  const counts = batch.request_counts ?? { total: 0, completed: 0, failed: 0 };
  const first = batch.errors?.data?.[0];
  const status: BatchStatus = {
    batchId: batch.id,
    state: STATES[batch.status] ?? 'in_progress',
    providerStatus: batch.status,
    counts: { total: counts.total, succeeded: counts.completed, errored: counts.failed, expired: 0, canceled: 0 },
    createdAt: batch.created_at * 1000,
    expiresAt: batch.expires_at ? batch.expires_at * 1000 : undefined,
  };
  if (first) status.error = `${first.code ?? 'invalid'}${first.line ? ` (line ${first.line})` : ''}: ${first.message ?? ''}`.trim();
  return status;
}

/** The lines of a response body, one chunk at a time (an output file can be hundreds of MB). */
async function* lines(response: Response): AsyncIterable<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

/** A metadata value within the API's 512 characters: as is, or a digest of a longer one. */
function metaValue(value: string): string {
  return value.length <= 512 ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}
