/**
 * Anthropic Message Batches through the official SDK: a chunk is one `messages.batches.create` of
 * {custom_id, params}; results are streamed from the batch's `results_url`. Each request's params are
 * built by anthropicBody and each message read by anthropicResult, the functions the live provider uses.
 *
 * Message Batches carry no metadata, so list() cannot name the session: rediscovery after a crash matches
 * on creation time and request count (core/batch/rediscover.ts). Creates are never retried by the SDK.
 */
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { ANTHROPIC_BATCH_LIMITS } from '../core/batch/chunk.js';
import type { BatchClient, BatchLimits, BatchLine, BatchLineResult, BatchListFilter, BatchMeta, BatchState, BatchStatus, BatchSummary } from '../core/batch/types.js';
import { anthropicBody, AnthropicProvider, anthropicResult, type AnthropicProviderOptions, type AnthropicStructuredMode } from './anthropic.js';
import { createHttpFetch } from './fetch.js';

export interface AnthropicBatchClientOptions extends AnthropicProviderOptions {
  limits?: Partial<BatchLimits>;
}

/** The HTTP status an error type stands for (an errored batch line has the type only). */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export class AnthropicBatchClient implements BatchClient {
  readonly provider = 'anthropic' as const;
  readonly hasMetadata = false;
  readonly model: string;
  readonly limits: BatchLimits;
  private readonly client: Anthropic;
  private readonly live: AnthropicProvider;
  private readonly structured: AnthropicStructuredMode;
  private readonly cacheSystem: boolean;

  constructor(options: AnthropicBatchClientOptions) {
    this.live = new AnthropicProvider(options); // refuses a missing key as live does
    this.model = options.model;
    this.structured = this.live.structured;
    this.cacheSystem = options.cacheSystem ?? true;
    this.limits = { ...ANTHROPIC_BATCH_LIMITS, ...options.limits };
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? 'https://api.anthropic.com',
      maxRetries: 2,
      timeout: options.timeoutMs,
      fetch: options.fetch ?? createHttpFetch(),
    });
  }

  /** One request of the batch, exactly as sent. */
  request(line: BatchLine): { custom_id: string; params: ReturnType<typeof anthropicBody> } {
    return { custom_id: line.customId, params: anthropicBody(this.model, line.request, { structured: this.structured, cacheSystem: this.cacheSystem }) };
  }

  lineBytes(line: BatchLine): number {
    return Buffer.byteLength(JSON.stringify(this.request(line)), 'utf8') + 1;
  }

  async submit(chunk: readonly BatchLine[], _meta: BatchMeta, signal?: AbortSignal): Promise<{ batchId: string }> {
    const batch = await this.call(signal, () => this.client.messages.batches.create({ requests: chunk.map((l) => this.request(l)) }, { maxRetries: 0, signal }));
    return { batchId: batch.id };
  }

  async poll(batchId: string, signal?: AbortSignal): Promise<BatchStatus> {
    return toStatus(await this.call(signal, () => this.client.messages.batches.retrieve(batchId, {}, { signal })));
  }

  async *results(batchId: string, signal?: AbortSignal): AsyncIterable<BatchLineResult> {
    const stream = await this.call(signal, () => this.client.messages.batches.results(batchId, {}, { signal }));
    try {
      for await (const line of stream) yield this.readLine(line);
    } catch (err) {
      throw this.live.toProviderError(err, signal);
    }
  }

  async list(filter: BatchListFilter, signal?: AbortSignal): Promise<BatchSummary[]> {
    return this.call(signal, async () => {
      const out: BatchSummary[] = [];
      for await (const batch of this.client.messages.batches.list({ limit: 100 }, { signal })) {
        if (filter.createdAfter !== undefined && Date.parse(batch.created_at) < filter.createdAfter) break; // newest first
        out.push(toStatus(batch));
      }
      return out;
    });
  }

  async cancel(batchId: string, signal?: AbortSignal): Promise<void> {
    await this.call(signal, () => this.client.messages.batches.cancel(batchId, {}, { signal }));
  }

  private readLine(line: MessageBatchIndividualResponse): BatchLineResult {
    const customId = line.custom_id;
    const result = line.result;
    if (result.type === 'succeeded') return { customId, ok: true, result: anthropicResult(result.message, this.structured, this.model) };
    if (result.type === 'expired') return { customId, ok: false, failure: { kind: 'expired', failureKind: 'timeout', message: 'anthropic batch: the batch expired before this request was processed' } };
    if (result.type === 'canceled') return { customId, ok: false, failure: { kind: 'canceled', failureKind: 'network', message: 'anthropic batch: the batch was cancelled before this request was processed' } };
    const type = result.error?.error?.type ?? 'api_error';
    const apiError = APIError.generate(STATUS_OF_TYPE[type] ?? 500, result.error, undefined, new Headers());
    const failure = this.live.toProviderError(apiError, undefined);
    return { customId, ok: false, failure: { kind: 'errored', failureKind: failure.kind, message: failure.message, status: failure.status } };
  }

  private async call<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw this.live.toProviderError(err, signal);
    }
  }
}

const STATES: Record<MessageBatch['processing_status'], BatchState> = { in_progress: 'in_progress', canceling: 'cancelling', ended: 'ended' };

function toStatus(batch: MessageBatch): BatchStatus {
  const c = batch.request_counts;
  return {
    batchId: batch.id,
    state: STATES[batch.processing_status] ?? 'in_progress',
    providerStatus: batch.processing_status,
    counts: { total: c.processing + c.succeeded + c.errored + c.expired + c.canceled, succeeded: c.succeeded, errored: c.errored, expired: c.expired, canceled: c.canceled },
    createdAt: Date.parse(batch.created_at),
    expiresAt: Date.parse(batch.expires_at),
  };
}
