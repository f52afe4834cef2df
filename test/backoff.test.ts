import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, backoffDelay, sleep } from '../src/core/backoff.js';

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt, from 500 ms', () => {
    const top = () => 1;
    expect(backoffDelay(1, { random: top })).toBe(BACKOFF_BASE_MS);
    expect(backoffDelay(2, { random: top })).toBe(1_000);
    expect(backoffDelay(3, { random: top })).toBe(2_000);
    expect(backoffDelay(5, { random: top })).toBe(8_000);
  });

  it('never waits longer than the cap of 30 s, even after many attempts', () => {
    expect(backoffDelay(20, { random: () => 1 })).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(1e6, { random: () => 1 })).toBe(BACKOFF_MAX_MS);
  });

  it('spreads retries anywhere between zero and the ceiling (full jitter)', () => {
    expect(backoffDelay(3, { random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { random: () => 0.25 })).toBe(500);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(4_000);
    }
  });

  it('takes its own base and cap, and treats attempt 0 or less as the first', () => {
    expect(backoffDelay(3, { baseMs: 100, maxMs: 250, random: () => 1 })).toBe(250);
    expect(backoffDelay(0, { random: () => 1 })).toBe(BACKOFF_BASE_MS);
    expect(backoffDelay(-3, { random: () => 1 })).toBe(BACKOFF_BASE_MS);
  });
});

describe('sleep', () => {
  it('resolves after the time has passed', async () => {
    const start = Date.now();
    await sleep(20);
    expect(Date.now() - start).toBeGreaterThanOrEqual(15);
  });

  it('rejects with the abort reason when aborted while waiting', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('rejects at once for a signal that is already aborted, and resolves at once for no delay', async () => {
    await expect(sleep(10, AbortSignal.abort('gone'))).rejects.toBe('gone');
    await expect(sleep(0)).resolves.toBeUndefined();
  });
});
