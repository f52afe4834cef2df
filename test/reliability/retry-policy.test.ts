/**
 * Issue 15 (10) in the run loop: the circuit breaker holds the run through a provider outage (open, wait,
 * one probe, close) and ends it only after a bounded time; a Retry-After of an hour is capped and shown.
 */
import { afterEach, beforeEach, describe, expect, it, test } from 'vitest';
import { ProviderError } from '../../src/core/provider.js';
import { RetryBook, SUSTAINED_FAILURES } from '../../src/core/retry-book.js';
import { scene, ScriptedProvider, type Scene } from '../core/scripted.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RetryBook policy (fake clock)', () => {
  it('opens the breaker on sustained 5xx, lets one probe through, closes on its success', () => {
    const c = clock();
    const book = new RetryBook({ breaker: { threshold: 3, openMs: 1000, giveUpAfterMs: 60_000, now: c.now } });
    expect(book.failed('server', 'HTTP 503', 503)).toBeNull();
    expect(book.failed('timeout', 'timed out')).toBeNull();
    expect(book.failed('network', 'ECONNRESET')).toMatch(/provider is failing \(3 network failures in a row.*no requests for 1 s, then one probe/);
    expect(book.gate()).toEqual({ send: false, waitMs: 1000 });
    c.advance(1000);
    expect(book.gate()).toEqual({ send: true, probe: true });
    expect(book.gate().send).toBe(false); // only one probe
    book.succeeded();
    expect(book.gate()).toEqual({ send: true, probe: false });
    expect(book.fatal).toBeNull();
  });

  it('a failed probe reopens with a longer wait; the run ends only after the bounded time', () => {
    const c = clock();
    const book = new RetryBook({ breaker: { threshold: 2, openMs: 1000, giveUpAfterMs: 10_000, now: c.now } });
    book.failed('server', 'HTTP 529', 529);
    book.failed('server', 'HTTP 529', 529);
    c.advance(1000);
    expect(book.gate().send).toBe(true);
    expect(book.failed('server', 'HTTP 529', 529)).toMatch(/probe request failed too.*waiting 2 s/);
    expect(book.fatal).toBeNull();
    c.advance(9000);
    expect(book.gate().send).toBe(false);
    expect(book.fatal?.reason).toMatch(/the provider kept failing/);
    expect(book.fatal?.exitCode).toBe(1);
  });

  it('keeps auth/quota/404 fatal at once and SUSTAINED_FAILURES for answers of the wrong shape', () => {
    expect(new RetryBook().failed('auth', 'bad key', 401) === null && true).toBe(true);
    const auth = new RetryBook();
    auth.failed('auth', 'bad key', 401);
    expect(auth.fatal?.exitCode).toBe(2);
    const notFound = new RetryBook();
    notFound.failed('server', 'no such model', 404);
    expect(notFound.fatal?.exitCode).toBe(2);
    const schema = new RetryBook();
    for (let i = 0; i < SUSTAINED_FAILURES - 1; i++) schema.failed('schema', 'wrong shape');
    expect(schema.fatal).toBeNull();
    schema.failed('parse', 'not JSON');
    expect(schema.fatal?.reason).toMatch(/20 requests in a row failed/);
    // Transient failures do not count toward it: the breaker owns them.
    const transient = new RetryBook({ breaker: { threshold: 1000 } });
    for (let i = 0; i < 50; i++) transient.failed('server', 'HTTP 500', 500);
    expect(transient.fatal).toBeNull();
  });

  it('caps a Retry-After on a retried 5xx and says so', () => {
    const book = new RetryBook({ retryAfterCapMs: 120_000 });
    expect(book.retryDelay(3_600_000, 500)).toMatchObject({ ms: 120_000, notice: expect.stringMatching(/asked to wait 1 h 0 min; waiting 2 min instead/) });
    expect(book.retryDelay(undefined, 500)).toEqual({ ms: 500, notice: null });
    expect(book.retryDelay(2000, 500)).toEqual({ ms: 2000, notice: null });
  });
});

let s: Scene;
beforeEach(() => {
  s = scene();
});
afterEach(() => s.cleanup());

describe('the run loop with the breaker (scripted provider)', () => {
  test('a provider outage opens the breaker, a probe closes it, and the run finishes', async () => {
    let failing = 9;
    const provider = new ScriptedProvider((r) => (r.facts?.stage === 'samples' && failing-- > 0 ? new ProviderError('server', 'HTTP 503 overloaded', { status: 503 }) : undefined));
    const { handle, events } = s.run(s.config({ size: 8, topics: { depth: 0 }, provider: { max_retries: 20, concurrency: 1 } as never }), provider, {
      retryPolicy: { breaker: { threshold: 3, openMs: 20, maxOpenMs: 40, giveUpAfterMs: 30_000 } },
    });
    const result = await handle.start();
    expect(result).toMatchObject({ status: 'done', done: 8, exitCode: 0 });
    const warnings = events.filter((e) => e.type === 'warning').map((e) => (e.type === 'warning' ? e.message : ''));
    expect(warnings.some((m) => /provider is failing \(3 server failures in a row/.test(m))).toBe(true);
    expect(warnings.some((m) => /probe request failed too/.test(m))).toBe(true);
  });

  test('while open, one probe at a time goes out even at concurrency 8', async () => {
    let inFlight = 0;
    let maxAfterOpen = 0;
    let failures = 0;
    const provider = new ScriptedProvider((r) => {
      if (r.facts?.stage !== 'samples') return undefined;
      return () => {
        inFlight++;
        if (failures >= 8) maxAfterOpen = Math.max(maxAfterOpen, inFlight);
        inFlight--;
        return failures++ < 16 ? new ProviderError('server', 'HTTP 500', { status: 500 }) : {};
      };
    });
    const { handle } = s.run(s.config({ size: 16, topics: { depth: 0 }, provider: { max_retries: 20, concurrency: 8 } as never }), provider, {
      retryPolicy: { breaker: { threshold: 8, openMs: 5, maxOpenMs: 5, giveUpAfterMs: 30_000 } },
    });
    const result = await handle.start();
    expect(result.status).toBe('done');
    // 8 sent at once and failed; then probes one by one: at most 8 + (16 - 8) + 16 requests in all.
    expect(provider.count('samples')).toBeLessThanOrEqual(8 + 8 + 16);
  });

  test('an outage that does not end stops the run after the bounded time, exit 1, resumable', async () => {
    const provider = new ScriptedProvider((r) => (r.facts?.stage === 'samples' ? new ProviderError('network', 'connection refused') : undefined));
    const { handle } = s.run(s.config({ size: 6, topics: { depth: 0 }, provider: { max_retries: 20, concurrency: 2 } as never }), provider, {
      retryPolicy: { breaker: { threshold: 2, openMs: 10, maxOpenMs: 20, giveUpAfterMs: 300 } },
    });
    const started = Date.now();
    const result = await handle.start();
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(result.reason).toMatch(/the provider kept failing/);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Only probes went out while open: about one every 10-20 ms for 300 ms, not hundreds.
    expect(provider.count('samples')).toBeLessThan(60);
    expect(s.session('scripted').status).toBe('failed');
  });

  test('a 429 with Retry-After 3600 s is capped and shown, not waited silently', async () => {
    let once = true;
    const provider = new ScriptedProvider((r) => {
      if (r.facts?.stage === 'samples' && once) {
        once = false;
        return new ProviderError('rate_limit', 'HTTP 429', { status: 429, retryAfterMs: 3_600_000 });
      }
      return undefined;
    });
    const { handle, events } = s.run(s.config({ size: 3, topics: { depth: 0 }, provider: { concurrency: 1 } as never }), provider, { retryPolicy: { retryAfterCapMs: 50 } });
    const started = Date.now();
    const result = await handle.start();
    expect(result.status).toBe('done');
    expect(Date.now() - started).toBeLessThan(10_000);
    const warning = events.find((e) => e.type === 'warning');
    expect(warning && warning.type === 'warning' ? warning.message : '').toMatch(/asked to wait 1 h 0 min; waiting 0 s instead \(stop with Ctrl\+C, resume later\)/);
    const wait = events.find((e) => e.type === 'rate_limit');
    expect(wait).toMatchObject({ reason: 'retry_after' });
    expect(wait && wait.type === 'rate_limit' ? wait.waitMs : Infinity).toBeLessThanOrEqual(50);
  });
});
