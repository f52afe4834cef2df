/**
 * A half-open circuit breaker for sustained transient failures (5xx, 529 overloaded, timeouts, network).
 *
 *   closed ──N consecutive transient failures──▶ open ──after openMs──▶ half-open
 *   half-open ──the one probe succeeds──▶ closed      half-open ──the probe fails──▶ open (wait grows)
 *
 * While open no request is sent; in half-open exactly one request (the probe) is let through. The breaker
 * gives up (`ended`) only when it has been open or half-open without a success for `giveUpAfterMs` in total,
 * so a provider outage pauses a run instead of ending it at once, but never keeps it alive forever.
 * Time comes from `now()` so tests (and a paused clock) can drive it; the breaker has no timers.
 */

export type BreakerState = 'closed' | 'open' | 'half-open' | 'ended';

export interface BreakerOptions {
  /** Consecutive transient failures that open the breaker. Default 5. */
  threshold?: number;
  /** First wait while open, in ms. Default 10 s. */
  openMs?: number;
  /** Each failed probe multiplies the wait by this, up to maxOpenMs. Default 2. */
  factor?: number;
  /** Longest single wait while open. Default 2 min. */
  maxOpenMs?: number;
  /** Total time since the breaker first opened (with no success since) after which it ends. Default 10 min. */
  giveUpAfterMs?: number;
  now?: () => number;
}

export class CircuitBreaker {
  private readonly threshold: number;
  private readonly baseOpenMs: number;
  private readonly factor: number;
  private readonly maxOpenMs: number;
  private readonly giveUpAfterMs: number;
  private readonly now: () => number;

  private current: 'closed' | 'open' | 'half-open' | 'ended' = 'closed';
  private failures = 0;
  private openedAt = 0;
  private firstOpenedAt = 0;
  private waitMs: number;
  private probeOut = false;

  constructor(opts: BreakerOptions = {}) {
    this.threshold = Math.max(1, Math.floor(opts.threshold ?? 5));
    this.baseOpenMs = Math.max(0, opts.openMs ?? 10_000);
    this.factor = Math.max(1, opts.factor ?? 2);
    this.maxOpenMs = Math.max(this.baseOpenMs, opts.maxOpenMs ?? 120_000);
    this.giveUpAfterMs = Math.max(0, opts.giveUpAfterMs ?? 600_000);
    this.now = opts.now ?? Date.now;
    this.waitMs = this.baseOpenMs;
  }

  /** The state now (an open breaker whose wait is over reads as half-open; one past its time as ended). */
  get state(): BreakerState {
    this.advance();
    return this.current;
  }

  /** Consecutive transient failures counted while closed. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Ms until a request may be sent (0 when one may go now; Infinity once ended). */
  waitRemainingMs(): number {
    this.advance();
    if (this.current === 'ended') return Number.POSITIVE_INFINITY;
    if (this.current === 'open') return Math.max(0, this.openedAt + this.waitMs - this.now());
    if (this.current === 'half-open' && this.probeOut) return this.waitMs; // wait for the probe's outcome
    return 0;
  }

  /**
   * Asks to send a request. True: send it (in half-open it is the probe, and no other is let through
   * until it reports). False: wait (see waitRemainingMs) or, once ended, stop.
   */
  tryAcquire(): boolean {
    this.advance();
    if (this.current === 'closed') return true;
    if (this.current === 'half-open' && !this.probeOut) {
      this.probeOut = true;
      return true;
    }
    return false;
  }

  /** A request succeeded (any answer that is not a transient server failure counts). */
  onSuccess(): void {
    if (this.current === 'ended') return;
    this.current = 'closed';
    this.failures = 0;
    this.probeOut = false;
    this.waitMs = this.baseOpenMs;
    this.firstOpenedAt = 0;
  }

  /** A request failed transiently (5xx, 529, timeout, network). */
  onFailure(): void {
    this.advance();
    if (this.current === 'ended') return;
    const t = this.now();
    if (this.current === 'half-open') {
      this.probeOut = false;
      this.waitMs = Math.min(this.maxOpenMs, this.waitMs * this.factor);
      this.open(t);
      return;
    }
    if (this.current === 'open') return; // a request sent before it opened: already counted
    this.failures++;
    if (this.failures >= this.threshold) {
      this.firstOpenedAt = t;
      this.open(t);
    }
  }

  /** A request ended without telling anything about the server (cancelled, or a client-side failure). */
  onNeutral(): void {
    if (this.current === 'half-open') this.probeOut = false;
  }

  /** Why it ended, for the run's reason. */
  describe(): string {
    return `the provider kept failing (${this.threshold} transient failures in a row, no success in ${Math.round(this.giveUpAfterMs / 1000)} s of probing)`;
  }

  private open(t: number): void {
    this.current = 'open';
    this.openedAt = t;
    this.advance();
  }

  private advance(): void {
    if (this.current === 'closed' || this.current === 'ended') return;
    const t = this.now();
    if (t - this.firstOpenedAt >= this.giveUpAfterMs) {
      this.current = 'ended';
      return;
    }
    if (this.current === 'open' && t >= this.openedAt + this.waitMs) this.current = 'half-open';
  }
}
