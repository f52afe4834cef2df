/** Issue 15 (10): long Retry-After waits are capped; sustained failures open, probe and close the breaker. */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/core/breaker.js';
import { capRetryAfter, describeWait } from '../../src/core/retry-after.js';

describe('capRetryAfter', () => {
  it('clamps a long hint to the cap and says so', () => {
    expect(capRetryAfter(3_600_000, 120_000)).toEqual({ ms: 120_000, capped: true, askedMs: 3_600_000 });
    expect(describeWait(capRetryAfter(3_600_000, 120_000))).toMatch(/asked to wait 1 h 0 min; waiting 2 min instead/);
    expect(capRetryAfter(5_000, 120_000)).toEqual({ ms: 5_000, capped: false, askedMs: 5_000 });
  });
  it('treats missing, negative, NaN hints as none and Infinity as the cap', () => {
    for (const bad of [undefined, -5, Number.NaN, 0]) expect(capRetryAfter(bad, 1000).ms).toBe(0);
    expect(capRetryAfter(Number.POSITIVE_INFINITY, 1000)).toMatchObject({ ms: 1000, capped: true });
  });
});

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, lets one probe through half-open, closes on its success', () => {
    const c = clock();
    const b = new CircuitBreaker({ threshold: 3, openMs: 1000, giveUpAfterMs: 60_000, now: c.now });
    b.onFailure();
    b.onSuccess(); // a success resets the count
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
    b.onFailure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    expect(b.waitRemainingMs()).toBe(1000);
    c.advance(1000);
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true); // the probe
    expect(b.tryAcquire()).toBe(false); // only one
    b.onSuccess();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
  });

  it('a failed probe reopens with a longer wait; it ends only after the bounded total time', () => {
    const c = clock();
    const b = new CircuitBreaker({ threshold: 1, openMs: 1000, factor: 2, maxOpenMs: 4000, giveUpAfterMs: 20_000, now: c.now });
    b.onFailure();
    const waits: number[] = [];
    while (b.state !== 'ended') {
      const wait = b.waitRemainingMs();
      waits.push(wait);
      c.advance(wait);
      if (b.tryAcquire()) b.onFailure();
      expect(waits.length).toBeLessThan(50);
    }
    expect(waits.slice(0, 4)).toEqual([1000, 2000, 4000, 4000]);
    expect(c.now()).toBeGreaterThanOrEqual(20_000);
    expect(c.now()).toBeLessThan(20_000 + 4000);
    expect(b.tryAcquire()).toBe(false);
    expect(b.waitRemainingMs()).toBe(Number.POSITIVE_INFINITY);
    expect(b.describe()).toMatch(/kept failing/);
  });

  it('a success while probing resets the wait and the give-up clock', () => {
    const c = clock();
    const b = new CircuitBreaker({ threshold: 1, openMs: 1000, giveUpAfterMs: 5000, now: c.now });
    b.onFailure();
    c.advance(4000);
    expect(b.tryAcquire()).toBe(true);
    b.onSuccess();
    c.advance(10_000);
    b.onFailure();
    expect(b.state).toBe('open'); // not ended: the clock started again
    expect(b.waitRemainingMs()).toBe(1000);
  });
});
