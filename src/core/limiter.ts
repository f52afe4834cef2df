/**
 * The RateLimiter paces requests and tokens per minute so a provider sees an even flow, learns the limits
 * from rate-limit headers when the config does not give them, and pauses everyone after a 429.
 *
 * - Pacing is GCRA (a token bucket kept as one "theoretical arrival time" per quantity) with a burst of
 *   half a second's worth, so a server that counts in 10-second windows sees a steady stream rather than a
 *   burst at the start of each minute. The limiter aims at 95% of a configured or advertised limit:
 *   headroom for timer and network jitter at window edges.
 * - Headers: with rpm/tpm null the advertised limit, read as per minute as OpenAI and Anthropic mean it,
 *   becomes the rate. Always: when `remaining` gets low the rest is spread over the reset time, and at
 *   zero everyone waits for the reset.
 * - 429: everyone waits for the Retry-After exactly, or an exponential backoff with jitter without one;
 *   then the rate drops by 20% (AIMD) from the current rate, or from the rate the server accepted when
 *   that is lower or no rate was set. Each success while the pace holds requests back adds 1% of the
 *   lowered rate, up to the limit.
 * - Waiters are served first come, first served; an aborted wait rejects with the signal's reason.
 * - With no limit known, acquire resolves at once without a timer.
 *
 * One file (about 400 lines) on purpose: pacing, header learning, AIMD and the waiter queue share one clock
 * and one queue, and split apart each piece would need the others' private state.
 */
import type { RateLimitInfo } from './provider.js';
import { backoffDelay, sleep as realSleep } from './backoff.js';
import type { LimiterState } from './events.js';
import type { Usage } from './types.js';
import { capRetryAfter, describeWait, LONG_WAIT_MS, RETRY_AFTER_CAP_MS } from './retry-after.js';

export type WaitReason = 'rpm' | 'tpm' | 'retry_after' | 'backoff';

export interface LimiterOptions {
  rpm: number | null;
  tpm: number | null;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source for the backoff without Retry-After; default Math.random. */
  random?: () => number;
  /** Longest pause for one Retry-After (issue 15: `Retry-After: 3600` must not park a run). Default 2 min. */
  retryAfterCapMs?: number;
}

/** Share of a known limit the limiter aims for. */
export const LIMIT_SHARE = 0.95;
/** Requests may run ahead of the smooth schedule by this much time's worth of the rate. */
export const BURST_MS = 500;
/** AIMD: the rate after a 429 is this share of the rate before. */
export const DECREASE = 0.8;
/** AIMD: each success adds this share of the rate set by the last decrease. */
export const INCREASE = 0.01;
/** Header learning: `remaining` at or under this share of the limit counts as low. */
const LOW_SHARE = 0.1;
/** After a decrease, further 429s within the pause and this long after it come from the same burst. */
const DECREASE_QUIET_MS = 1_000;
/** A steady pacing wait is reported through onWait at most this often. */
const ANNOUNCE_EVERY_MS = 10_000;
/** The request rate just before a 429 is measured over this window when no rate was set. */
const MEASURE_MS = 10_000;

const MINUTE = 60_000;
const RESOLVED: Promise<void> = Promise.resolve();

/** One paced quantity (requests or tokens). Rates are in units per millisecond; null means unlimited. */
class Pace {
  ceiling: number | null;
  rate: number | null;
  /** When the bucket would be empty again if nothing else started (GCRA theoretical arrival time). */
  tat = 0;
  /** Nothing starts before this (remaining reached zero). */
  gateUntil = 0;
  private base: number;
  private hint: { rate: number; until: number } | null = null;

  constructor(
    perMinute: number | null,
    private readonly configured: boolean,
    private readonly floorPerMs: number,
  ) {
    this.ceiling = perMinute === null ? null : (perMinute * LIMIT_SHARE) / MINUTE;
    this.rate = this.ceiling;
    this.base = this.ceiling ?? 0;
  }

  effective(now: number): number | null {
    const hint = this.hint !== null && now < this.hint.until ? this.hint.rate : null;
    if (hint === null) return this.rate;
    return this.rate === null ? hint : Math.min(this.rate, hint);
  }

  readyAt(now: number): number {
    const rate = this.effective(now);
    if (rate === null) return this.gateUntil;
    const tolerance = Math.max(0, Math.floor(rate * BURST_MS) - 1) / rate;
    return Math.max(this.gateUntil, this.tat - tolerance);
  }

  charge(cost: number, now: number): void {
    const rate = this.effective(now);
    if (rate !== null && cost > 0) this.tat = Math.max(this.tat, now) + cost / rate;
  }

  /** More (positive) or fewer (negative) units were used than charged. */
  reconcile(delta: number, now: number): void {
    const rate = this.effective(now);
    if (rate !== null && delta !== 0) this.tat += delta / rate;
  }

  learn(limit: number | undefined, remaining: number | undefined, resetMs: number | undefined, now: number): void {
    if (!this.configured && limit !== undefined && limit > 0) {
      this.ceiling = (limit * LIMIT_SHARE) / MINUTE;
      if (this.rate === null || this.rate > this.ceiling) this.rate = this.ceiling;
      if (this.base === 0) this.base = this.ceiling;
    }
    if (remaining === undefined || resetMs === undefined || !(resetMs > 0)) return;
    const low = limit !== undefined && limit > 0 ? Math.max(1, limit * LOW_SHARE) : 1;
    if (remaining <= 0) {
      this.gateUntil = Math.max(this.gateUntil, now + resetMs);
      this.hint = null;
    } else if (remaining <= low) {
      this.hint = { rate: remaining / resetMs, until: now + resetMs };
    } else {
      this.hint = null;
    }
  }

  /** Multiplicative decrease from the current rate or, when lower, from the rate the server accepted. */
  decrease(now: number, measured: number | null): void {
    const rate = this.effective(now);
    const current = rate === null ? measured : measured === null ? rate : Math.min(rate, measured);
    if (current === null) return;
    this.rate = Math.max(this.floorPerMs, current * DECREASE);
    this.base = this.rate;
  }

  increase(): void {
    if (this.rate === null) return;
    this.rate += this.base * INCREASE;
    if (this.ceiling !== null) this.rate = Math.min(this.rate, this.ceiling);
  }
}

/** The last few hundred event times, to measure a recent rate. */
class RecentTimes {
  private readonly times = new Float64Array(256);
  private count = 0;

  record(t: number): void {
    this.times[this.count % this.times.length] = t;
    this.count += 1;
  }

  /**
   * Events per ms over the last MEASURE_MS, or null if none. The span counts at least a second, plus
   * `quietMs` still to come without events (a Retry-After: a server counting in windows that accepted 20
   * requests in one second and asks for nine more seconds of quiet allows 2 a second).
   */
  ratePerMs(now: number, quietMs = 0): number | null {
    const n = Math.min(this.count, this.times.length);
    let count = 0;
    let oldest = now;
    for (let i = 0; i < n; i++) {
      const t = this.times[i] as number;
      if (t > now - MEASURE_MS) {
        count += 1;
        if (t < oldest) oldest = t;
      }
    }
    return count === 0 ? null : count / Math.max(1_000, now - oldest + quietMs);
  }
}

interface Waiter {
  tokens: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class RateLimiter {
  /** Called when requests start waiting: each pause after a 429, and pacing waits (at most every 10 s). */
  onWait?: (waitMs: number, reason: WaitReason) => void;
  /** Called with one line when a Retry-After was capped or is long (what was asked, what is waited). */
  onLongWait?: (message: string) => void;
  private readonly retryAfterCapMs: number;

  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly requests: Pace;
  private readonly tokens: Pace;
  private readonly queue: Waiter[] = [];
  private pausedUntil = 0;
  private pauseReason: 'retry_after' | 'backoff' = 'backoff';
  private backoffAttempt = 0;
  private decreaseQuietUntil = 0;
  private pumping = false;
  /** Someone waited for the rpm/tpm pace since the last increase. */
  private paced = false;
  private wake: AbortController | null = null;
  private sleepUntil = 0;
  private sleepReason: WaitReason | null = null;
  private announced: { reason: WaitReason; at: number } | null = null;
  private readonly starts = new RecentTimes();
  private readonly successes = new RecentTimes();

  constructor(opts: LimiterOptions) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.random = opts.random ?? Math.random;
    this.retryAfterCapMs = opts.retryAfterCapMs ?? RETRY_AFTER_CAP_MS;
    const rpm = positive(opts.rpm);
    const tpm = positive(opts.tpm);
    this.requests = new Pace(rpm, rpm !== null, 1 / MINUTE);
    this.tokens = new Pace(tpm, tpm !== null, 1_000 / MINUTE);
  }

  /** Resolves when a request estimated at `tokens` tokens may start. */
  acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const cost = Number.isFinite(tokens) && tokens > 0 ? tokens : 0;
    if (this.queue.length === 0) {
      const now = this.now();
      if (this.readyAt(now, cost).at <= now) {
        this.start(cost, now);
        return RESOLVED;
      }
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { tokens: cost, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => this.abandon(waiter);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      void this.pump();
    });
  }

  /**
   * An answer arrived (not a 429): learn from its headers, reconcile the token estimate given to acquire
   * with the real usage (a number, or the answer's Usage: input + output), grow the rate.
   */
  observe(info?: RateLimitInfo, actualTokens?: number | Usage, estimatedTokens?: number): void {
    const now = this.now();
    if (info) this.learnAt(info, now);
    const actual = typeof actualTokens === 'object' ? actualTokens.input_tokens + actualTokens.output_tokens : actualTokens;
    if (Number.isFinite(actual) && Number.isFinite(estimatedTokens)) {
      this.tokens.reconcile((actual as number) - (estimatedTokens as number), now);
    }
    this.backoffAttempt = 0;
    this.successes.record(now);
    // Additive increase only while the pace is what holds requests back (not the pool, not a pause).
    if (now >= this.pausedUntil && (this.paced || this.queue.length > 0)) {
      this.requests.increase();
      this.tokens.increase();
      this.paced = false;
    }
    this.poke();
  }

  /** A 429: pause everyone for the Retry-After (or a backoff without one), then go on a little slower. */
  onRateLimited(askedMs?: number, info?: RateLimitInfo): void {
    const now = this.now();
    // The server's hint is capped: a long one is shown (with the choice to stop), never waited silently.
    const capped = askedMs !== undefined && Number.isFinite(askedMs) && askedMs > 0 ? capRetryAfter(askedMs, this.retryAfterCapMs) : null;
    const retryAfterMs = capped ? capped.ms : askedMs;
    if (capped && (capped.capped || capped.ms >= LONG_WAIT_MS) && this.pausedUntil < now + capped.ms) this.onLongWait?.(describeWait(capped));
    if (info) this.learnAt(info, now);
    const pausedAlready = this.pausedUntil > now;
    const retryAfter = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0;
    if (retryAfter) {
      this.pause(now, retryAfterMs, 'retry_after');
    } else if (!pausedAlready) {
      this.backoffAttempt += 1;
      this.pause(now, backoffDelay(this.backoffAttempt, { random: this.random }), 'backoff');
    }
    if (now >= this.decreaseQuietUntil) {
      const tokensOut = info?.remainingTokens !== undefined && info.remainingTokens <= 0;
      const requestsOut = info?.remainingRequests !== undefined && info.remainingRequests <= 0;
      if (requestsOut || !tokensOut) {
        const quietMs = retryAfter ? retryAfterMs : 0;
        const accepted = this.successes.ratePerMs(now, quietMs) ?? this.starts.ratePerMs(now, quietMs);
        this.requests.decrease(now, accepted);
      }
      if (tokensOut || !requestsOut) this.tokens.decrease(now, null);
      this.decreaseQuietUntil = Math.max(this.pausedUntil, now) + DECREASE_QUIET_MS;
    }
    this.poke();
  }

  /** Headers of a failed answer (5xx, timeout...): learn the limits, without counting it as a success. */
  learn(info: RateLimitInfo): void {
    this.learnAt(info, this.now());
    this.poke();
  }

  state(): LimiterState {
    const now = this.now();
    if (this.pausedUntil > now) return { state: 'waiting', reason: this.pauseReason, waitMs: this.pausedUntil - now };
    if (this.sleepReason !== null && this.sleepUntil > now) {
      return { state: 'waiting', reason: this.sleepReason, waitMs: this.sleepUntil - now };
    }
    return { state: 'ok' };
  }

  /** Requests per minute the limiter currently paces to (null: unlimited). For the dashboard and tests. */
  get requestsPerMinute(): number | null {
    const rate = this.requests.effective(this.now());
    return rate === null ? null : rate * MINUTE;
  }

  /** Tokens per minute the limiter currently paces to (null: unlimited). */
  get tokensPerMinute(): number | null {
    const rate = this.tokens.effective(this.now());
    return rate === null ? null : rate * MINUTE;
  }

  private readyAt(now: number, cost: number): { at: number; reason: WaitReason } {
    let at = this.pausedUntil;
    let reason: WaitReason = this.pauseReason;
    const requestsAt = this.requests.readyAt(now);
    if (requestsAt > at) [at, reason] = [requestsAt, 'rpm'];
    if (cost > 0) {
      const tokensAt = this.tokens.readyAt(now);
      if (tokensAt > at) [at, reason] = [tokensAt, 'tpm'];
    }
    return { at, reason };
  }

  private start(cost: number, now: number): void {
    this.requests.charge(1, now);
    this.tokens.charge(cost, now);
    this.starts.record(now);
  }

  /** Serves the queue in order: the head waits for its time, everyone behind it waits for the head. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0] as Waiter;
        const now = this.now();
        const { at, reason } = this.readyAt(now, head.tokens);
        if (at <= now) {
          this.queue.shift();
          if (head.onAbort) head.signal?.removeEventListener('abort', head.onAbort);
          this.start(head.tokens, now);
          head.resolve();
          continue;
        }
        this.sleepUntil = at;
        this.sleepReason = reason;
        if (reason === 'rpm' || reason === 'tpm') this.paced = true;
        this.announce(now, at - now, reason);
        const wake = new AbortController();
        this.wake = wake;
        try {
          await this.sleep(at - now, wake.signal);
        } catch {
          // Woken early: a pause, a new rate or an abort changed the schedule; look again.
        } finally {
          this.wake = null;
        }
      }
    } finally {
      this.pumping = false;
      this.sleepReason = null;
    }
  }

  private announce(now: number, waitMs: number, reason: WaitReason): void {
    if (reason === 'retry_after' || reason === 'backoff') return; // announced when the pause began
    const last = this.announced;
    if (last !== null && last.reason === reason && now - last.at < ANNOUNCE_EVERY_MS) return;
    this.announced = { reason, at: now };
    this.onWait?.(waitMs, reason);
  }

  private pause(now: number, ms: number, reason: 'retry_after' | 'backoff'): void {
    if (now + ms <= this.pausedUntil) return;
    this.pausedUntil = now + ms;
    this.pauseReason = reason;
    this.announced = { reason, at: now };
    this.onWait?.(ms, reason);
  }

  private learnAt(info: RateLimitInfo, now: number): void {
    this.requests.learn(info.limitRequests, info.remainingRequests, info.resetRequestsMs, now);
    this.tokens.learn(info.limitTokens, info.remainingTokens, info.resetTokensMs, now);
  }

  private abandon(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    waiter.reject(waiter.signal?.reason);
    if (index === 0) this.poke();
  }

  /** Wakes the pump so it recomputes the head's wait. */
  private poke(): void {
    this.wake?.abort();
  }
}

function positive(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value > 0 ? value : null;
}
