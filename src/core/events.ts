/**
 * SPEC 6.6: the typed events the engine emits. The TUI store, the plain reporter and the --json reporter
 * all consume exactly these; nothing else crosses from the core to a view.
 */
import type { FailureKind, Sample, SessionStatus, TokenCounts } from './types.js';

export type LimiterState =
  | { state: 'ok' }
  | { state: 'waiting'; reason: 'rpm' | 'tpm' | 'retry_after' | 'backoff'; waitMs: number };

export type FailureCounts = Partial<Record<FailureKind, number>>;

export interface ProgressCounts {
  done: number;
  target: number;
  /** Slots whose retries are exhausted: they stay empty unless retried. */
  failedSlots: number;
  /** Slots without a sample (target - done), whatever the reason: given up, not reached, stopped. */
  unfilled: number;
  inFlight: number;
  queued: number;
  requests: number;
  /** Accepted samples per minute over a recent window. */
  ratePerMin: number;
  etaS: number | null;
  tokens: TokenCounts;
  /** Of the input tokens, those read from the prompt cache (priced at the cached rate). */
  cachedInputTokens?: number;
  costUsd: number;
  /** Spend by stage (topic expansion, samples, judge); they add up to costUsd. */
  spendByStage: { topics: number; samples: number; judge: number };
  projectedUsd: number | null;
  budgetUsd: number;
  limiter: LimiterState;
  failures: FailureCounts;
  paused: boolean;
}

export type RunEndStatus = 'done' | 'incomplete' | 'budget' | 'interrupted' | 'failed';

export type EngineEvent =
  | {
      type: 'run_start';
      ts: string;
      session: string;
      dir: string;
      provider: string;
      model: string;
      target: number;
      done: number;
      demo: boolean;
      /** Torn lines found at the end of samples.jsonl after a crash and moved to samples.jsonl.torn. */
      tornLines?: number;
    }
  | { type: 'plan'; ts: string; leaves: number; slots: number; estimateUsd: number | null; fingerprint: string }
  | { type: 'topic_done'; ts: string; topicId: string; path: string[]; children: string[]; done: number; total: number }
  | { type: 'request_start'; ts: string; requestId: number; slots: string[]; attempt: number; inFlight: number }
  | { type: 'sample_accepted'; ts: string; sample: Sample; done: number; target: number; /** Spend so far, all stages. */ costUsd: number }
  | {
      type: 'sample_rejected';
      ts: string;
      slot: string;
      attempt: number;
      kind: FailureKind;
      message: string;
      status?: number;
      raw?: string;
      willRetry: boolean;
    }
  | { type: 'retry'; ts: string; slots: string[]; attempt: number; kind: FailureKind; delayMs: number }
  /** Slots that had given up were queued again (retry failed, from a view or --retry-failed). */
  | { type: 'retry_queued'; ts: string; slots: number; kinds: FailureKind[] | null }
  /** A sample was removed in the sample browser: it leaves the dataset and its slot counts as open. */
  | { type: 'sample_removed'; ts: string; id: string; slot: string; done: number }
  /** Topic expansion ended with nodes that have no subtopics yet: the run does not sample a partial tree. */
  | { type: 'topics_failed'; ts: string; nodes: { id: string; path: string[]; message: string }[] }
  /** Something worth a line that is not a failure of a slot (for example usage a server reported wrongly). */
  | { type: 'warning'; ts: string; message: string }
  /** Batch mode (docs/batch.md): batches submitted / in progress / done and lines succeeded / failed, when they change. */
  | { type: 'batch'; ts: string; provider: string; submitted: number; inProgress: number; done: number; linesSucceeded: number; linesFailed: number; linesPending: number }
  | { type: 'rate_limit'; ts: string; waitMs: number; reason: 'rpm' | 'tpm' | 'retry_after' | 'backoff'; status?: number }
  | ({ type: 'progress'; ts: string } & ProgressCounts)
  | { type: 'paused'; ts: string; reason: 'user' | 'budget'; message: string; costUsd: number; budgetUsd: number }
  | { type: 'resumed'; ts: string; budgetUsd: number }
  | { type: 'stopping'; ts: string; reason: string; inFlight: number }
  | {
      type: 'run_end';
      ts: string;
      status: RunEndStatus;
      sessionStatus: SessionStatus;
      reason?: string;
      done: number;
      target: number;
      failedSlots: number;
      /** Slots without a sample at the end (target - done). */
      unfilled: number;
      tokens: TokenCounts;
      costUsd: number;
      elapsedS: number;
      exitCode: number;
      dir: string;
    };

export type EngineEventType = EngineEvent['type'];
export type EventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

/** Distributes `Omit` over the union so each variant keeps its own fields. */
export type EventInit<E = EngineEvent> = E extends EngineEvent ? Omit<E, 'ts'> : never;

export type Listener = (event: EngineEvent) => void;

/** A small typed emitter. Listeners run synchronously in order; one that throws does not stop the others. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(init: EventInit): EngineEvent {
    const event = { ...init, ts: new Date().toISOString() } as EngineEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A view that fails must not take the engine down with it.
      }
    }
    return event;
  }
}
