/**
 * The run ledger: the one place that holds what a run has done and spent. Slots done and given up,
 * requests, tokens and USD by stage (topic expansion, samples, judge), failures by kind, duplicates and
 * removals. Every LLM call of a session is booked here, whatever screen or stage started it; session.yaml
 * (`toStats`) and the `progress` event (`toProgress`) are both views of it, so they cannot disagree.
 *
 * Usage figures from a server are data, not truth: anything that is not a non-negative whole number is
 * replaced by the request's worst case (its prompt estimate and its output cap) and reported, so a bad or
 * hostile server can never make spend shrink, turn into NaN, or slip under the budget cap.
 */
import type { FailureCounts, LimiterState, ProgressCounts } from './events.js';
import { costOf, type Price } from './prices.js';
import type { FailureKind, TokenCounts, Usage } from './types.js';
import { checkUsage, optionalCount } from './usage.js';

export const SPEND_STAGES = ['topics', 'samples', 'judge'] as const;
export type SpendStage = (typeof SPEND_STAGES)[number];

export interface StageSpend {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** What session.yaml keeps of a run (SPEC 5). The totals are kept for readers of older sessions. */
export interface SessionStats {
  done: number;
  target: number;
  failed_slots: number;
  /** Sample requests answered (all stages: see spend). */
  requests: number;
  topic_requests: number;
  tokens: TokenCounts;
  cost_usd: number;
  failures: Partial<Record<FailureKind, number>>;
  duplicates: number;
  elapsed_s: number;
  /** Requests, tokens and USD by stage. */
  spend?: Record<SpendStage, StageSpend>;
}

export function emptyStats(target: number): SessionStats {
  return { done: 0, target, failed_slots: 0, requests: 0, topic_requests: 0, tokens: { input: 0, output: 0 }, cost_usd: 0, failures: {}, duplicates: 0, elapsed_s: 0 };
}

const emptySpend = (): StageSpend => ({ requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 });

/**
 * Usage a server reported (or a line on disk holds), checked by core/usage.ts: `problem` says what was
 * wrong when it cannot be trusted. Cache figures are kept when they are whole counts within the input.
 */
export function checkedUsage(raw: unknown): { usage: Usage; problem?: string } {
  const checked = checkUsage(raw);
  if (!checked.valid) return { usage: { input_tokens: 0, output_tokens: 0 }, problem: checked.problem };
  const usage: Usage = { ...checked.usage };
  const r = raw as Partial<Record<'cached_input_tokens' | 'cache_write_tokens', unknown>>;
  const cached = optionalCount(r.cached_input_tokens, 'cached_input_tokens').value;
  const written = optionalCount(r.cache_write_tokens, 'cache_write_tokens').value;
  if (cached > 0 && cached + written <= usage.input_tokens) usage.cached_input_tokens = cached;
  if (written > 0 && cached + written <= usage.input_tokens) usage.cache_write_tokens = written;
  return { usage };
}

/** A finite, rounded USD figure for a file (NaN or Infinity never reach session.yaml). */
function usd(n: number): number {
  return Number.isFinite(n) ? Number(n.toFixed(6)) : 0;
}

export interface BookedRequest {
  usage: Usage;
  costUsd: number;
  /** Set when the server's usage was replaced by the worst case. */
  problem?: string;
}

/** What the scheduler knows live that the ledger does not hold. */
export interface LiveCounts {
  inFlight: number;
  queued: number;
  ratePerMin: number;
  etaS: number | null;
  limiter: LimiterState;
  paused: boolean;
  budgetUsd: number;
}

export class RunLedger {
  readonly done = new Set<string>();
  /** Slots whose retries are exhausted, with the kind of their last failure. */
  exhausted = new Map<string, FailureKind>();
  readonly failures: FailureCounts = {};
  duplicates = 0;
  readonly spend: Record<SpendStage, StageSpend> = { topics: emptySpend(), samples: emptySpend(), judge: emptySpend() };
  /** Usage problems seen (bounded), for the run's summary. */
  readonly usageProblems: string[] = [];
  /** Input tokens served from the prompt cache in this process (part of the input tokens; for the dashboard). */
  cachedInputTokens = 0;
  private readonly started = Date.now();

  constructor(
    readonly target: number,
    private readonly priorElapsedS = 0,
  ) {}

  /** Books one answered request of a stage at `price`; bad usage is booked at `worstCase`. */
  book(stage: SpendStage, rawUsage: unknown, price: Price | null, worstCase: Usage): BookedRequest {
    const checked = checkedUsage(rawUsage);
    const usage = checked.problem ? worstCase : checked.usage;
    if (checked.problem && this.usageProblems.length < 20) this.usageProblems.push(checked.problem);
    // Cached input is priced at the cached rate (costOf on a Usage reads its cache figures).
    const costUsd = costOf(usage, price) ?? 0;
    const s = this.spend[stage];
    s.requests++;
    s.input_tokens += usage.input_tokens;
    s.output_tokens += usage.output_tokens;
    s.cost_usd += costUsd;
    this.cachedInputTokens += usage.cached_input_tokens ?? 0;
    return { usage, costUsd, ...(checked.problem ? { problem: checked.problem } : {}) };
  }

  /** Adds spend recovered from the session's files (an earlier process's requests). */
  addRecovered(stage: SpendStage, spend: StageSpend): void {
    const s = this.spend[stage];
    s.requests += spend.requests;
    s.input_tokens += spend.input_tokens;
    s.output_tokens += spend.output_tokens;
    s.cost_usd += spend.cost_usd;
  }

  /** Average cost of one sample request so far, or `estimate` before three have been answered. */
  costPerSampleRequest(estimate: number): number {
    const s = this.spend.samples;
    return s.requests >= 3 && s.cost_usd > 0 ? s.cost_usd / s.requests : estimate;
  }

  countFailure(kind: FailureKind): void {
    this.failures[kind] = (this.failures[kind] ?? 0) + 1;
  }

  get costUsd(): number {
    return SPEND_STAGES.reduce((n, s) => n + this.spend[s].cost_usd, 0);
  }

  get tokens(): TokenCounts {
    return SPEND_STAGES.reduce((t, s) => ({ input: t.input + this.spend[s].input_tokens, output: t.output + this.spend[s].output_tokens }), { input: 0, output: 0 });
  }

  /** Slots still to fill (neither done nor given up): what the run is waiting for. */
  get open(): number {
    return Math.max(0, this.target - this.done.size - this.exhausted.size);
  }

  /** Slots without a sample: done plus unfilled is always the target. */
  get unfilled(): number {
    return Math.max(0, this.target - this.done.size);
  }

  elapsedS(): number {
    return Math.round((this.priorElapsedS + (Date.now() - this.started) / 1000) * 10) / 10;
  }

  toStats(): SessionStats {
    const spend = Object.fromEntries(SPEND_STAGES.map((s) => [s, { ...this.spend[s], cost_usd: usd(this.spend[s].cost_usd) }])) as Record<SpendStage, StageSpend>;
    return {
      done: this.done.size,
      target: this.target,
      failed_slots: this.exhausted.size,
      requests: this.spend.samples.requests,
      topic_requests: this.spend.topics.requests,
      tokens: this.tokens,
      cost_usd: usd(this.costUsd),
      failures: { ...this.failures },
      duplicates: this.duplicates,
      elapsed_s: this.elapsedS(),
      spend,
    };
  }

  toProgress(live: LiveCounts): ProgressCounts {
    const done = this.done.size;
    const cost = this.costUsd;
    const sampleCost = this.spend.samples.cost_usd + this.spend.judge.cost_usd;
    const perSample = done > 0 ? sampleCost / done : null;
    return {
      done,
      target: this.target,
      failedSlots: this.exhausted.size,
      unfilled: this.unfilled,
      inFlight: live.inFlight,
      queued: live.queued,
      requests: this.spend.samples.requests,
      ratePerMin: live.ratePerMin,
      etaS: live.etaS,
      tokens: this.tokens,
      cachedInputTokens: this.cachedInputTokens,
      costUsd: cost,
      spendByStage: { topics: this.spend.topics.cost_usd, samples: this.spend.samples.cost_usd, judge: this.spend.judge.cost_usd },
      projectedUsd: perSample === null ? null : cost + perSample * this.unfilled,
      budgetUsd: live.budgetUsd,
      limiter: live.limiter,
      failures: { ...this.failures },
      paused: live.paused,
    };
  }
}
