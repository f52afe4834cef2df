/**
 * The engine's memory of failure: attempts per slot (a rate limit is pacing, not the slot's fault, and uses
 * up no retry), failures in a row, and the reason a run must end (auth, quota, a 404, or sustained failure)
 * instead of burning retries.
 */
import { endsTheRun, fatalExitCode, fatalReason, type FailureKind } from './types.js';

/** Failures in a row (rate limits aside) that stop the run: retrying would only burn money. */
export const SUSTAINED_FAILURES = 20;

export class RetryBook {
  private readonly attempts = new Map<string, number>();
  private inARow = 0;
  fatal: { reason: string; exitCode: number } | null = null;

  /** The attempt number the slot's next request is. */
  next(slot: string): number {
    return (this.attempts.get(slot) ?? 0) + 1;
  }

  forget(slot: string): void {
    this.attempts.delete(slot);
  }

  succeeded(): void {
    this.inARow = 0;
  }

  /** A request failed: counts it toward the failures in a row, and says whether the run must end. */
  failed(kind: FailureKind, message: string, status?: number): void {
    if (kind !== 'rate_limit') this.inARow++;
    if (endsTheRun(kind, status) && !this.fatal) this.fatal = { reason: fatalReason(kind, message, status), exitCode: fatalExitCode(kind, status) };
    if (this.inARow >= SUSTAINED_FAILURES && !this.fatal) this.fatal = { reason: `${SUSTAINED_FAILURES} requests in a row failed (last: ${kind}: ${message})`, exitCode: 1 };
  }

  /** One slot's attempt failed: its number, and whether the slot's retries are used up. */
  attempt(slot: string, kind: FailureKind, maxRetries: number): { attempt: number; exhausted: boolean } {
    const attempt = this.next(slot);
    if (kind === 'rate_limit') return { attempt, exhausted: false };
    this.attempts.set(slot, attempt);
    // will_retry says whether the slot has retries left; after a fatal error it is retried on resume.
    return { attempt, exhausted: attempt > maxRetries };
  }
}
