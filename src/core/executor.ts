/**
 * The executor: the seam between the scheduler (what to send next, what an answer means) and the provider
 * (how a request travels). The live executor is the continuous pool of SPEC 6.1: up to `concurrency`
 * requests in flight, each paced by the RateLimiter, whose headers and 429s it feeds back. A batch executor
 * (provider batch APIs) implements the same interface: the scheduler, ledger and stages do not change.
 *
 * An executor never retries and never books: it says what happened, and the scheduler decides.
 */
import { checkedUsage } from './ledger.js';
import type { RateLimiter } from './limiter.js';
import type { Price } from './prices.js';
import { ProviderError, type GenerateRequest, type GenerateResult, type Provider } from './provider.js';

export interface ExecutorJob {
  request: GenerateRequest;
  /** The slot ids the request fills (a batch line's custom_id is made from them). */
  slots?: string[];
  /** Tokens the request is expected to take (prompt estimate + output share), for the limiter. */
  estimateTokens: number;
  /** Asked after the pacing wait: false (a stop or pause meanwhile) means do not send; the job comes back aborted. */
  stillWanted?: () => boolean;
  /** Called when the request really leaves (after any pacing wait). */
  onStart?: () => void;
}

export type ExecutorOutcome =
  | { ok: true; result: GenerateResult }
  /** `aborted`: the run stopped it; the job was not answered and should be queued again. */
  | { ok: false; aborted: boolean; error: ProviderError };

export interface Executor {
  readonly mode: 'live' | 'batch';
  /** What one token of this executor's requests costs: the ledger books at this price. */
  readonly price: Price | null;
  /** The structured-output rules of the provider behind it (Provider.dialect). */
  readonly dialect?: 'openai' | 'anthropic' | 'generic';
  /** How many more jobs it takes right now. */
  capacity(): number;
  /** Requests on the wire now (after pacing). */
  readonly sending: number;
  /** Jobs taken and not finished (pacing included). */
  readonly inFlight: number;
  run(job: ExecutorJob, signal: AbortSignal): Promise<ExecutorOutcome>;
  /** Slot groups already in the executor's hands from an earlier process (batch lines): queued first, as they are. */
  inFlightGroups?(): string[][];
  /** The pool's size changed (a resume with --concurrency, say). */
  setConcurrency(n: number): void;
}

/** Any error a provider throws, as a ProviderError of a kind. */
export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('network', message, { cause: err });
}

export class LiveExecutor implements Executor {
  readonly mode = 'live';
  sending = 0;
  inFlight = 0;

  constructor(
    private readonly provider: Provider,
    private readonly limiter: RateLimiter,
    private concurrency: number,
    readonly price: Price | null,
  ) {}

  get dialect(): Provider['dialect'] {
    return this.provider.dialect;
  }

  capacity(): number {
    return Math.max(0, this.concurrency - this.inFlight);
  }

  setConcurrency(n: number): void {
    this.concurrency = n;
  }

  async run(job: ExecutorJob, signal: AbortSignal): Promise<ExecutorOutcome> {
    this.inFlight++;
    try {
      await this.limiter.acquire(job.estimateTokens, signal);
      if (signal.aborted || job.stillWanted?.() === false) return { ok: false, aborted: true, error: asProviderError(signal.reason ?? 'not sent') };
      job.onStart?.();
      this.sending++;
      let result: GenerateResult;
      try {
        result = await this.provider.generate({ ...job.request, signal });
      } finally {
        this.sending--;
      }
      const { usage } = checkedUsage(result.usage);
      this.limiter.observe(result.rateLimit, usage.input_tokens + usage.output_tokens, job.estimateTokens);
      return { ok: true, result };
    } catch (err) {
      if (signal.aborted) return { ok: false, aborted: true, error: asProviderError(err) };
      const error = asProviderError(err);
      // A 429 pauses everyone (the limiter reads its headers); other errors only teach it their headers.
      if (error.kind === 'rate_limit') this.limiter.onRateLimited(error.retryAfterMs, error.rateLimit);
      else if (error.rateLimit) this.limiter.learn(error.rateLimit);
      return { ok: false, aborted: false, error };
    } finally {
      this.inFlight--;
    }
  }
}
