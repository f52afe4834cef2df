/**
 * The batch execution mode's contract: what a provider's batch API must offer (OpenAI Files + Batches,
 * Anthropic Message Batches). Core owns it; src/providers/openai-batch.ts and anthropic-batch.ts implement
 * it. A batch line carries the same GenerateRequest the live provider takes, and its answer comes back as
 * the same GenerateResult, so every stage after the provider treats batch and live answers alike.
 */
// The request/answer types live with the provider contract (moving to src/core/provider.ts in the core
// redesign); only types are imported, so core stays free of provider code.
import type { GenerateRequest, GenerateResult } from '../provider.js';
import type { FailureKind } from '../types.js';

export interface BatchLimits {
  /** Most lines (requests) in one batch. */
  maxLines: number;
  /** Most bytes of one batch's input (OpenAI: the JSONL file; Anthropic: the create request's body). */
  maxBytes: number;
}

/** One request of a batch: its custom_id (see custom-id.ts) and the request the live provider would send. */
export interface BatchLine {
  customId: string;
  request: GenerateRequest;
}

/** Who submitted a batch: written into the batch's metadata where the API has metadata (OpenAI). */
export interface BatchMeta {
  session: string;
  chunk: string;
}

/**
 * Where a batch stands, in one vocabulary for both APIs:
 * - `validating`: accepted, input being checked (OpenAI);
 * - `in_progress`: lines being answered;
 * - `finalizing`: all lines answered, results being written (OpenAI);
 * - `cancelling`: a cancel was asked for and is being carried out;
 * - `ended`: results can be read (completed, or expired / cancelled with partial results);
 * - `failed`: the whole batch was refused (validation); no line was answered, every line goes again.
 */
export type BatchState = 'validating' | 'in_progress' | 'finalizing' | 'cancelling' | 'ended' | 'failed';

export interface BatchCounts {
  total: number;
  /** Lines with an answer (OpenAI completed; Anthropic succeeded). */
  succeeded: number;
  /** Lines that failed (OpenAI failed; Anthropic errored). */
  errored: number;
  expired: number;
  canceled: number;
}

export interface BatchStatus {
  batchId: string;
  state: BatchState;
  /** The provider's own status word (`completed`, `expired`, `ended`, ...), for the journal and the screen. */
  providerStatus: string;
  counts: BatchCounts;
  /** Why a `failed` batch was refused (one line, from the provider). */
  error?: string;
  /** ms since the epoch. */
  createdAt: number;
  /** When the provider will expire the batch (24 h window), ms since the epoch. */
  expiresAt?: number;
}

export type BatchLineFailureKind =
  /** The provider answered the line with an error (a 4xx/5xx inside the batch). */
  | 'errored'
  /** The batch's window ran out before this line was answered. */
  | 'expired'
  /** The batch was cancelled before this line was answered. */
  | 'canceled';

export interface BatchLineFailure {
  kind: BatchLineFailureKind;
  /** The engine's failure kind, for failures.jsonl and the retry policy (`server`, `rate_limit`, `auth`, ...). */
  failureKind: FailureKind;
  message: string;
  /** HTTP status inside the batch line, when there was one. */
  status?: number;
}

/** One line of a batch's results: the answer exactly as the live provider would have returned it, or why not. */
export type BatchLineResult = { customId: string; ok: true; result: GenerateResult } | { customId: string; ok: false; failure: BatchLineFailure };

/** One batch as the provider's list shows it. */
export interface BatchSummary {
  batchId: string;
  state: BatchState;
  providerStatus: string;
  counts: BatchCounts;
  createdAt: number;
  /** Session and chunk from the batch's metadata; absent where the API has no metadata (Anthropic). */
  meta?: BatchMeta;
}

export interface BatchListFilter {
  /** Only batches whose metadata names this session (where metadata exists). */
  session: string;
  /** Only batches created at or after this time (ms since the epoch); the list is read newest first and stops here. */
  createdAfter?: number;
}

export interface BatchClient {
  /** `openai` or `anthropic`. */
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  readonly limits: BatchLimits;
  /** True when batches carry metadata (session, chunk), so list() can tell ours apart exactly. */
  readonly hasMetadata: boolean;
  /** The bytes one line adds to a batch's input (for chunking within maxBytes). */
  lineBytes(line: BatchLine): number;
  /** Submits one chunk as one batch (OpenAI: upload the file, then create the batch). */
  submit(chunk: readonly BatchLine[], meta: BatchMeta, signal?: AbortSignal): Promise<{ batchId: string }>;
  poll(batchId: string, signal?: AbortSignal): Promise<BatchStatus>;
  /** The lines of an ended batch (any order). Only for `ended` batches. */
  results(batchId: string, signal?: AbortSignal): AsyncIterable<BatchLineResult>;
  /** Batches of this account, newest first, filtered to the session where metadata allows. */
  list(filter: BatchListFilter, signal?: AbortSignal): Promise<BatchSummary[]>;
  /** Asks the provider to cancel; lines already answered stay in the results. */
  cancel(batchId: string, signal?: AbortSignal): Promise<void>;
}

/** Terminal states: the batch will not change any more. */
export function isFinished(state: BatchState): boolean {
  return state === 'ended' || state === 'failed';
}
