/**
 * How long to wait before retrying after a transient failure, and an abortable sleep.
 *
 * `backoffDelay` is exponential backoff with "full jitter": a uniformly random delay between 0 and
 * min(maxMs, baseMs * 2^(attempt-1)). Full jitter spreads the retries of many concurrent requests so they
 * do not come back in one wave (the thundering herd that exact exponential delays create).
 */

export interface BackoffOptions {
  /** Delay cap of the first retry, in ms. Default 500. */
  baseMs?: number;
  /** Largest delay, in ms. Default 30,000. */
  maxMs?: number;
  /** A source of numbers in [0, 1); injectable for deterministic tests. Default Math.random. */
  random?: () => number;
}

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 30_000;

/** Delay before retry number `attempt` (1 = first retry; values below 1 count as 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const base = Math.max(0, opts.baseMs ?? BACKOFF_BASE_MS);
  const max = Math.max(0, opts.maxMs ?? BACKOFF_MAX_MS);
  const random = opts.random ?? Math.random;
  const exponent = Math.min(Math.max(1, Math.floor(attempt)), 32) - 1;
  const ceiling = Math.min(max, base * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling * r);
}

/** Resolves after `ms`; rejects with the signal's reason as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!(ms > 0)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
