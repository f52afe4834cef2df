import { describe, expect, it } from 'vitest';
import { DECREASE, INCREASE, LIMIT_SHARE, RateLimiter, type LimiterOptions, type WaitReason } from '../src/core/limiter.js';

/** A deterministic clock: sleeps resolve only when the test advances time past them. */
class FakeClock {
  t = 0;
  sleeps = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  now = (): number => this.t;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps += 1;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const timer = { at: this.t + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal.reason);
      });
    });
  };

  /** Moves time forward to `ms` later, firing timers in order and letting the limiter react to each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(opts: Partial<LimiterOptions> = {}) {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ rpm: null, tpm: null, now: clock.now, sleep: clock.sleep, random: () => 0.5, ...opts });
  const waits: { waitMs: number; reason: WaitReason }[] = [];
  limiter.onWait = (waitMs, reason) => waits.push({ waitMs, reason });
  return { clock, limiter, waits };
}

/** Queues `n` acquires at once and records the clock time at which each was let through, in order. */
function queue(limiter: RateLimiter, clock: FakeClock, n: number, tokens = 0) {
  const started: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    void limiter.acquire(tokens).then(() => {
      started.push(clock.t);
      order.push(i);
    });
  }
  return { started, order };
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    let j = i;
    while (j < times.length && (times[j] as number) < (times[i] as number) + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe('RateLimiter without limits', () => {
  it('lets every request through at once, without a timer', async () => {
    const { clock, limiter } = setup();
    const { started } = queue(limiter, clock, 1000, 500);
    await settle();
    expect(started).toHaveLength(1000);
    expect(clock.sleeps).toBe(0);
    expect(limiter.state()).toEqual({ state: 'ok' });
  });
});

describe('RateLimiter pacing a configured rpm', () => {
  it('spaces requests evenly so a server counting in 10-second windows never sees more than its share', async () => {
    const { clock, limiter } = setup({ rpm: 120 });
    const { started } = queue(limiter, clock, 200);
    await clock.advance(60_000);
    const interval = 60_000 / (120 * LIMIT_SHARE);
    for (let i = 1; i < started.length; i++) {
      expect((started[i] as number) - (started[i - 1] as number)).toBeGreaterThanOrEqual(interval - 1e-6);
    }
    // 2 requests/s allowed: at most 20 in any 10 s, and at least 90% of the allowance over the minute.
    expect(maxInWindow(started, 10_000)).toBeLessThanOrEqual(20);
    expect(started.length).toBeGreaterThanOrEqual(0.9 * 120);
  });

  it('allows a small burst of about half a second when the rate is high, then paces', async () => {
    const { clock, limiter } = setup({ rpm: 6000 });
    const { started } = queue(limiter, clock, 200);
    await settle();
    const burst = started.length;
    expect(burst).toBeGreaterThan(1);
    expect(burst).toBeLessThanOrEqual((6000 / 60) * 0.5);
    await clock.advance(1_000);
    expect(started.length).toBeLessThanOrEqual(burst + 100);
    expect(started.length).toBeGreaterThanOrEqual(burst + 90);
    expect(maxInWindow(started.slice(burst), 1_000)).toBeLessThanOrEqual(96);
  });

  it('reports it is waiting for rpm while requests queue, and ok once they are through', async () => {
    const { clock, limiter, waits } = setup({ rpm: 60 });
    queue(limiter, clock, 3);
    await settle();
    const state = limiter.state();
    expect(state).toMatchObject({ state: 'waiting', reason: 'rpm' });
    expect(waits[0]?.reason).toBe('rpm');
    await clock.advance(5_000);
    expect(limiter.state()).toEqual({ state: 'ok' });
  });
});

describe('RateLimiter pacing tokens per minute', () => {
  it('spaces requests by their token estimate', async () => {
    const { clock, limiter, waits } = setup({ tpm: 60_000 });
    const { started } = queue(limiter, clock, 3, 10_000);
    await clock.advance(30_000);
    expect(started[0]).toBe(0);
    // 10,000 tokens at 57,000/min take 10.5 s; the burst tolerance lets the next one start half a second early.
    expect(started[1]).toBeGreaterThan(9_900);
    expect(started[1]).toBeLessThan(10_600);
    expect((started[2] as number) - (started[1] as number)).toBeCloseTo(10_000 / (60_000 * LIMIT_SHARE / 60_000), 0);
    expect(waits.map((w) => w.reason)).toContain('tpm');
  });

  it('gives back the difference when the real usage was smaller than the estimate', async () => {
    const { clock, limiter } = setup({ tpm: 60_000 });
    await limiter.acquire(10_000);
    limiter.observe(undefined, { input_tokens: 600, output_tokens: 400 }, 10_000);
    const { started } = queue(limiter, clock, 1, 10_000);
    await clock.advance(2_000);
    expect(started[0]).toBeLessThan(1_100);
  });

  it('charges the difference when the real usage was larger than the estimate', async () => {
    const { clock, limiter } = setup({ tpm: 60_000 });
    await limiter.acquire(1_000);
    limiter.observe(undefined, 10_000, 1_000);
    const { started } = queue(limiter, clock, 1, 1_000);
    await clock.advance(5_000);
    expect(started).toHaveLength(0);
    await clock.advance(10_000);
    expect(started[0]).toBeGreaterThan(9_500);
  });
});

describe('RateLimiter after a 429', () => {
  it('pauses everyone for exactly the Retry-After', async () => {
    const { clock, limiter, waits } = setup();
    limiter.onRateLimited(5_000);
    expect(limiter.state()).toEqual({ state: 'waiting', reason: 'retry_after', waitMs: 5_000 });
    expect(waits).toEqual([{ waitMs: 5_000, reason: 'retry_after' }]);
    const { started } = queue(limiter, clock, 3);
    await clock.advance(4_999);
    expect(started).toHaveLength(0);
    await clock.advance(1);
    expect(started).toEqual([5_000, 5_000, 5_000]);
  });

  it('backs off exponentially with jitter when no Retry-After was given, and resets after a success', async () => {
    const { clock, limiter, waits } = setup();
    limiter.onRateLimited();
    expect(waits.at(-1)).toEqual({ waitMs: 250, reason: 'backoff' }); // 500 ms cap x random 0.5
    limiter.onRateLimited(); // from a request already in flight: same pause, no escalation
    expect(waits).toHaveLength(1);
    await clock.advance(250);
    limiter.onRateLimited();
    expect(waits.at(-1)).toEqual({ waitMs: 500, reason: 'backoff' });
    await clock.advance(500);
    limiter.observe();
    limiter.onRateLimited();
    expect(waits.at(-1)).toEqual({ waitMs: 250, reason: 'backoff' });
  });

  it('lowers a configured rate on a 429 and climbs back slowly with successes, never above the limit', async () => {
    const { clock, limiter } = setup({ rpm: 60 });
    const limit = 60 * LIMIT_SHARE;
    limiter.onRateLimited(1_000);
    expect(limiter.requestsPerMinute).toBeCloseTo(limit * DECREASE);
    limiter.onRateLimited(1_000); // the same burst of 429s: one decrease only
    expect(limiter.requestsPerMinute).toBeCloseTo(limit * DECREASE);
    queue(limiter, clock, 10_000); // requests wait for the pace: it is what holds them back
    await clock.advance(1_000);
    for (let i = 0; i < 10; i++) limiter.observe();
    expect(limiter.requestsPerMinute).toBeCloseTo(limit * DECREASE * (1 + 10 * INCREASE));
    for (let i = 0; i < 1_000; i++) limiter.observe();
    expect(limiter.requestsPerMinute).toBeCloseTo(limit);
  });

  it('does not raise the rate while the pool, not the pace, is what holds requests back', async () => {
    const { clock, limiter } = setup({ rpm: 60 });
    limiter.onRateLimited(1_000);
    await clock.advance(1_000);
    for (let i = 0; i < 100; i++) limiter.observe();
    expect(limiter.requestsPerMinute).toBeCloseTo(60 * LIMIT_SHARE * DECREASE);
  });

  it('reads a Retry-After after a quick burst as a window: 20 accepted in a second, then 9 s quiet, is 2 a second', async () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 20; i++) {
      await limiter.acquire(0);
      await clock.advance(50);
      limiter.observe();
    }
    limiter.onRateLimited(9_000);
    expect(limiter.requestsPerMinute).toBeCloseTo(120 * DECREASE, 0);
  });

  it('starts pacing a server without headers below the rate that drew the 429', async () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 20; i++) {
      await limiter.acquire(0);
      await clock.advance(100); // 10 requests/s
    }
    expect(limiter.requestsPerMinute).toBeNull();
    limiter.onRateLimited(0);
    expect(limiter.requestsPerMinute).toBeCloseTo(600 * DECREASE, 0);
    const { started } = queue(limiter, clock, 200);
    await clock.advance(10_000);
    // 8 requests/s for 10 s, plus a burst of half a second's worth.
    expect(started.length).toBeGreaterThanOrEqual(80);
    expect(started.length).toBeLessThanOrEqual(85);
  });
});

describe('RateLimiter learning from rate-limit headers', () => {
  it('adopts the advertised requests and tokens per minute when the config gives none', () => {
    const { limiter } = setup();
    limiter.observe({ limitRequests: 600, remainingRequests: 599, resetRequestsMs: 100, limitTokens: 90_000 });
    expect(limiter.requestsPerMinute).toBeCloseTo(600 * LIMIT_SHARE);
    expect(limiter.tokensPerMinute).toBeCloseTo(90_000 * LIMIT_SHARE);
  });

  it('learns from the headers of a failed answer without counting it as a success', async () => {
    const { clock, limiter, waits } = setup();
    limiter.onRateLimited();
    await clock.advance(250);
    limiter.learn({ limitRequests: 600 });
    expect(limiter.requestsPerMinute).toBeCloseTo(600 * LIMIT_SHARE);
    await clock.advance(2_000);
    limiter.onRateLimited();
    expect(waits.at(-1)).toEqual({ waitMs: 500, reason: 'backoff' }); // the backoff kept escalating
  });

  it('keeps a configured rpm even when the headers advertise another limit', () => {
    const { limiter } = setup({ rpm: 120 });
    limiter.observe({ limitRequests: 20, remainingRequests: 19, resetRequestsMs: 500 });
    expect(limiter.requestsPerMinute).toBeCloseTo(120 * LIMIT_SHARE);
  });

  it('waits for the reset when no requests remain', async () => {
    const { clock, limiter } = setup();
    limiter.observe({ remainingRequests: 0, resetRequestsMs: 3_000 });
    const { started } = queue(limiter, clock, 2);
    await settle();
    expect(limiter.state()).toMatchObject({ state: 'waiting', reason: 'rpm', waitMs: 3_000 });
    await clock.advance(2_999);
    expect(started).toHaveLength(0);
    await clock.advance(1);
    expect(started).toEqual([3_000, 3_000]);
  });

  it('spreads the few remaining requests over the reset time', async () => {
    const { clock, limiter } = setup();
    limiter.observe({ limitRequests: 1_000, remainingRequests: 5, resetRequestsMs: 10_000 });
    const { started } = queue(limiter, clock, 5);
    await clock.advance(10_000);
    expect(started).toHaveLength(5);
    expect(maxInWindow(started, 1_999)).toBe(1);
  });

  it('stops pacing on the hint once plenty remain again', async () => {
    const { clock, limiter } = setup();
    limiter.observe({ remainingRequests: 1, resetRequestsMs: 60_000 });
    limiter.observe({ remainingRequests: 500, resetRequestsMs: 1_000 });
    const { started } = queue(limiter, clock, 5);
    await settle();
    expect(started).toHaveLength(5);
  });
});

describe('RateLimiter waiters', () => {
  it('serves waiters first come, first served, even when a later one would fit sooner', async () => {
    const { clock, limiter } = setup({ tpm: 6_000 });
    const order: string[] = [];
    await limiter.acquire(6_000);
    void limiter.acquire(6_000).then(() => order.push('big'));
    void limiter.acquire(0).then(() => order.push('small')); // needs no tokens: could go at once
    await clock.advance(60_000);
    expect(order).toEqual([]);
    await clock.advance(200_000);
    expect(order).toEqual(['big', 'small']);
  });

  it('lets queued requests through in the order they asked', async () => {
    const { clock, limiter } = setup({ rpm: 600, tpm: 60_000 });
    limiter.onRateLimited(1_000);
    const { order } = queue(limiter, clock, 30, 100);
    await clock.advance(60_000);
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('rejects an aborted wait with the abort reason, and the next waiter takes its turn', async () => {
    const { clock, limiter } = setup({ rpm: 60 });
    await limiter.acquire(0);
    const controller = new AbortController();
    const aborted = limiter.acquire(0, controller.signal);
    const { started } = queue(limiter, clock, 1);
    await settle();
    const reason = new Error('run stopped');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await clock.advance(60_000 / (60 * LIMIT_SHARE));
    expect(started).toHaveLength(1);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { limiter } = setup({ rpm: 60 });
    await expect(limiter.acquire(0, AbortSignal.abort('gone'))).rejects.toBe('gone');
  });
});
