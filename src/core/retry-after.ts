/**
 * A server's Retry-After is advice, not an order: `Retry-After: 3600` must not silently park a run for an
 * hour. The scheduler waits at most `capMs` and shows the wait (with the choice to stop) when it is long.
 */

/** Default longest wait for one Retry-After: 2 minutes. */
export const RETRY_AFTER_CAP_MS = 120_000;
/** Waits at least this long are shown to the user with the choice to stop. */
export const LONG_WAIT_MS = 10_000;

export interface CappedWait {
  /** What to wait, in ms: the hint clamped to [0, capMs]; a missing or unusable hint is 0 (use the backoff). */
  ms: number;
  /** True when the server asked for more than the cap. */
  capped: boolean;
  /** What the server asked for (finite, >= 0), for the message. */
  askedMs: number;
}

/** `ms` clamped to `[0, capMs]`; NaN, negative or missing hints count as 0, Infinity as the cap. */
export function capRetryAfter(ms: number | undefined, capMs: number = RETRY_AFTER_CAP_MS): CappedWait {
  const cap = Number.isFinite(capMs) && capMs >= 0 ? capMs : RETRY_AFTER_CAP_MS;
  if (ms === undefined || Number.isNaN(ms) || ms <= 0) return { ms: 0, capped: false, askedMs: 0 };
  if (ms > cap) return { ms: cap, capped: true, askedMs: Number.isFinite(ms) ? ms : cap };
  return { ms, capped: false, askedMs: ms };
}

/** "the server asked to wait 1 h 0 min; waiting 2 min (Ctrl+C to stop)". */
export function describeWait(wait: CappedWait): string {
  const asked = humanMs(wait.askedMs);
  if (wait.capped) return `the server asked to wait ${asked}; waiting ${humanMs(wait.ms)} instead (stop with Ctrl+C, resume later)`;
  return `waiting ${asked} as the server asked (stop with Ctrl+C, resume later)`;
}

export function humanMs(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
