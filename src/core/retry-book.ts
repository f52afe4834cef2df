/**
 * The engine's memory of failure: attempts per slot (a rate limit is pacing, not the slot's fault, and uses
 * up no retry), failures in a row, the circuit breaker for sustained transient failures, and the reason a
 * run must end (auth, quota, a 404, sustained non-transient failure, or a breaker that gave up) instead of
 * burning retries.
 *
 * Policy (issue 15, 10):
 * - auth, quota and 404 end the run at once (unchanged);
 * - transient server failures (server 5xx/529, timeout, network) feed the CircuitBreaker: after
 *   `threshold` in a row it opens (no request is sent), waits, lets one probe through (half-open), closes
 *   on its success; the run ends only when the breaker has had no success for `giveUpAfterMs`;
 * - other failures (schema, parse, truncated, ...) mean the server answered: they close the breaker and
 *   count toward SUSTAINED_FAILURES in a row, which ends the run as before;
 * - rate limits are pacing (the limiter's job) and count toward neither.
 */
import { CircuitBreaker, type BreakerOptions } from './breaker.js';
import { capRetryAfter, describeWait, humanMs, LONG_WAIT_MS, RETRY_AFTER_CAP_MS } from './retry-after.js';
import { endsTheRun, fatalExitCode, fatalReason, type FailureKind } from './types.js';

/** Failures in a row (rate limits and breaker-counted transient failures aside) that stop the run. */
export const SUSTAINED_FAILURES = 20;

/** Transient failures that say the server itself is failing: the breaker counts them. */
export const BREAKER_KINDS: ReadonlySet<FailureKind> = new Set(['server', 'timeout', 'network']);

export interface RetryPolicyOptions {
  breaker?: BreakerOptions;
  /** Longest wait for one Retry-After hint (ms). Default RETRY_AFTER_CAP_MS. */
  retryAfterCapMs?: number;
}

/** What the gate says about sending a request now. */
export type Gate = { send: true; probe: boolean } | { send: false; waitMs: number };

export class RetryBook {
  private readonly attempts = new Map<string, number>();
  private inARow = 0;
  readonly breaker: CircuitBreaker;
  readonly retryAfterCapMs: number;
  /** Why the run must end; `interrupted` for a stop that a resume continues (a disk fault). */
  fatal: { reason: string; exitCode: number; interrupted?: boolean } | null = null;

  constructor(opts: RetryPolicyOptions = {}) {
    this.breaker = new CircuitBreaker(opts.breaker);
    this.retryAfterCapMs = opts.retryAfterCapMs ?? RETRY_AFTER_CAP_MS;
  }

  /** The attempt number the slot's next request is. */
  next(slot: string): number {
    return (this.attempts.get(slot) ?? 0) + 1;
  }

  forget(slot: string): void {
    this.attempts.delete(slot);
  }

  /** An answer was usable: failures in a row reset, the breaker closes (a probe's success closes it). */
  succeeded(): void {
    this.inARow = 0;
    this.breaker.onSuccess();
  }

  /** A request ended without telling anything about the server (cancelled before or while sending). */
  neutral(): void {
    this.breaker.onNeutral();
  }

  /**
   * May a request be sent now? Closed: yes. Open: wait. Half-open: one probe. A breaker that gave up makes
   * the run fatal here (nothing may be in flight to report it otherwise).
   */
  gate(): Gate {
    if (this.breaker.state === 'ended') {
      this.endByBreaker();
      return { send: false, waitMs: Number.POSITIVE_INFINITY };
    }
    const probe = this.breaker.state === 'half-open';
    if (this.breaker.tryAcquire()) return { send: true, probe };
    return { send: false, waitMs: this.breaker.waitRemainingMs() };
  }

  /**
   * A request failed: counts it, and says whether the run must end. Returns a line to show the user when
   * the breaker just opened (or reopened after a failed probe), else null.
   */
  failed(kind: FailureKind, message: string, status?: number): string | null {
    let notice: string | null = null;
    if (BREAKER_KINDS.has(kind)) {
      const before = this.breaker.state;
      this.breaker.onFailure();
      const after = this.breaker.state;
      if (after === 'ended') this.endByBreaker(kind, message);
      else if (after === 'open' && before !== 'open') {
        const wait = humanMs(this.breaker.waitRemainingMs());
        notice =
          before === 'half-open'
            ? `the probe request failed too (${kind}: ${message}); waiting ${wait} before the next probe (stop with Ctrl+C, resume later)`
            : `the provider is failing (${this.breaker.consecutiveFailures} ${kind} failures in a row, last: ${message}); no requests for ${wait}, then one probe (stop with Ctrl+C, resume later)`;
      }
    } else if (kind !== 'rate_limit') {
      // The server answered (badly): it is up, so the breaker closes; the answer's own problems count.
      this.breaker.onSuccess();
      this.inARow++;
    }
    if (endsTheRun(kind, status) && !this.fatal) this.fatal = { reason: fatalReason(kind, message, status), exitCode: fatalExitCode(kind, status) };
    if (this.inARow >= SUSTAINED_FAILURES && !this.fatal) this.fatal = { reason: `${SUSTAINED_FAILURES} requests in a row failed (last: ${kind}: ${message})`, exitCode: 1 };
    return notice;
  }

  /**
   * The delay before a failed transient request is sent again: the server's Retry-After capped (a warning
   * when long or capped), else `backoffMs`.
   */
  retryDelay(retryAfterMs: number | undefined, backoffMs: number): { ms: number; notice: string | null } {
    const wait = capRetryAfter(retryAfterMs, this.retryAfterCapMs);
    if (wait.askedMs === 0) return { ms: backoffMs, notice: null };
    return { ms: wait.ms, notice: wait.capped || wait.ms >= LONG_WAIT_MS ? describeWait(wait) : null };
  }

  /** One slot's attempt failed: its number, and whether the slot's retries are used up. */
  attempt(slot: string, kind: FailureKind, maxRetries: number): { attempt: number; exhausted: boolean } {
    const attempt = this.next(slot);
    if (kind === 'rate_limit') return { attempt, exhausted: false };
    this.attempts.set(slot, attempt);
    // will_retry says whether the slot has retries left; after a fatal error it is retried on resume.
    return { attempt, exhausted: attempt > maxRetries };
  }

  private endByBreaker(kind?: FailureKind, message?: string): void {
    if (this.fatal) return;
    this.fatal = { reason: `${this.breaker.describe()}${kind ? ` (last: ${kind}: ${message})` : ''}`, exitCode: 1 };
  }
}
