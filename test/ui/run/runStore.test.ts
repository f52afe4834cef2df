import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus, type EngineEvent, type EventInit } from '../../../src/core/events.js';
import {
  FAILURES_PER_KIND,
  SAMPLE_RING,
  connectRunStore,
  createRunStore,
  emptyCounts,
  failedKinds,
  failureCount,
  initialRunState,
  reduceRun,
  type RunState,
} from '../../../src/ui/run/runStore.js';
import { subscribeThrottled } from '../../../src/ui/run/throttle.js';
import { accepted, runStart } from './fakeRun.js';

function feed(events: EventInit[], state: RunState = initialRunState()): RunState {
  const bus = new EventBus();
  const store = createRunStore(state);
  connectRunStore(bus, store);
  for (const e of events) bus.emit(e);
  return store.getState();
}

const rejected = (kind: 'truncated' | 'server', willRetry: boolean, slot = 't0_r0'): EventInit => ({
  type: 'sample_rejected', slot, attempt: 1, kind, message: `${kind} answer`, status: kind === 'server' ? 500 : 200, raw: '{"a":', willRetry,
});

describe('run store', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps counts, the latest samples and the session identity from the events', () => {
    const s = feed([runStart, accepted(1), accepted(2), { type: 'request_start', requestId: 3, slots: ['x'], attempt: 1, inFlight: 4 }]);
    expect(s.session).toBe('returns');
    expect(s.phase).toBe('running');
    expect(s.counts.done).toBe(2);
    expect(s.counts.target).toBe(10);
    expect(s.counts.inFlight).toBe(4);
    expect(s.samples.map((x) => x.id)).toEqual(['s1', 's2']);
  });

  it('stays bounded on a 20,000-sample run: a ring of the latest samples and a capped log', () => {
    let s = reduceRun(initialRunState(), { ...runStart, ts: 'x', target: 20_000 } as EngineEvent);
    for (let n = 1; n <= 20_000; n++) s = reduceRun(s, { ...accepted(n, 20_000), ts: 'x' } as EngineEvent);
    expect(s.samples).toHaveLength(SAMPLE_RING);
    expect(s.samples[SAMPLE_RING - 1]!.id).toBe('s20000');
    expect(s.samples[0]!.id).toBe(`s${20_000 - SAMPLE_RING + 1}`);
    expect(s.accepted).toBe(20_000);
    // one line for the start and one per 10% step below 100%
    expect(s.log.map((l) => l.text.split(' ')[0])).toEqual(['session', '10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%']);
  });

  it('groups failures by kind with exact counts, a bounded window of records and the slots that gave up', () => {
    const events: EventInit[] = [];
    for (let i = 0; i < 30; i++) events.push(rejected('truncated', i % 10 !== 9, `t${i}_r0`));
    events.push(rejected('server', true));
    const s = feed([runStart, ...events]);
    expect(failedKinds(s)).toEqual(['server', 'truncated']);
    expect(failureCount(s, 'truncated')).toBe(30);
    expect(s.failures.truncated!.gaveUp).toBe(3);
    expect(s.failures.truncated!.recent).toHaveLength(FAILURES_PER_KIND);
    expect(s.failures.truncated!.recent.at(-1)!.slot).toBe('t29_r0');
    expect(s.failures.server!.recent[0]).toMatchObject({ status: 500, raw: '{"a":', will_retry: true });
    // the first slot that gives up is logged once per kind
    expect(s.log.filter((l) => l.tone === 'error')).toHaveLength(1);
  });

  it('a retry of one kind clears only that kind\'s given-up count', () => {
    const store = createRunStore();
    for (const e of [rejected('truncated', false), rejected('server', false)]) store.dispatch({ ...e, ts: 'x' } as EngineEvent);
    store.dispatch({ type: 'retry_queued', ts: 'x', kinds: ['truncated'], slots: 1 });
    expect(store.getState().failures.truncated!.gaveUp).toBe(0);
    expect(store.getState().failures.server!.gaveUp).toBe(1);
    expect(store.getState().log.at(-1)!.text).toContain('retrying 1 failed slot(s): truncated');
  });

  it('uses the engine\'s failure totals when they are larger (a resumed session)', () => {
    const s = feed([runStart, rejected('server', true), { type: 'progress', ...emptyCounts(), failures: { server: 7 } }]);
    expect(failureCount(s, 'server')).toBe(7);
  });

  it('tracks pause, budget pause, resume, stopping and the end', () => {
    const budget: EventInit = { type: 'paused', reason: 'budget', message: 'cap', costUsd: 9.9, budgetUsd: 10 };
    let s = feed([runStart, budget]);
    expect(s.phase).toBe('budget_paused');
    expect(s.pause).toMatchObject({ reason: 'budget', costUsd: 9.9 });
    s = feed([{ type: 'resumed', budgetUsd: 20 }], s);
    expect(s.phase).toBe('running');
    expect(s.counts.budgetUsd).toBe(20);
    expect(s.log.at(-1)!.text).toBe('resumed with a cap of $20.00');
    s = feed([{ type: 'stopping', reason: 'user asked', inFlight: 2 }], s);
    expect(s.phase).toBe('stopping');
    s = feed([{ type: 'run_end', status: 'interrupted', sessionStatus: 'interrupted', done: 3, target: 10, failedSlots: 0, unfilled: 0, tokens: { input: 1, output: 2 }, costUsd: 0.5, elapsedS: 4, exitCode: 130, dir: '/tmp/x' }], s);
    expect(s.phase).toBe('ended');
    expect(s.end?.exitCode).toBe(130);
  });

  it('records the limiter wait with the time it was reported, for a countdown', () => {
    const s = feed([runStart, { type: 'rate_limit', waitMs: 4000, reason: 'retry_after', status: 429 }]);
    expect(s.counts.limiter).toEqual({ state: 'waiting', reason: 'retry_after', waitMs: 4000 });
    expect(Math.abs(s.limiterAt - Date.now())).toBeLessThan(60_000);
  });

  it('a burst of events costs one immediate and one trailing update, the trailing one with the latest state', () => {
    vi.useFakeTimers();
    const store = createRunStore();
    const seen: number[] = [];
    const { unsubscribe: off } = subscribeThrottled(store, 100, (s) => seen.push(s.counts.done));
    for (let n = 1; n <= 1000; n++) store.dispatch({ ...accepted(n, 1000), ts: 'x' } as EngineEvent);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 1000]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 1000]);
    off();
  });

  it('spaces updates out further when one costs more, so the screen never takes more than 5% of the time', async () => {
    const store = createRunStore();
    const calls: number[] = [];
    const { unsubscribe: off } = subscribeThrottled(store, 100, () => {
      calls.push(performance.now());
      const until = performance.now() + 30; // an update that costs 30 ms
      while (performance.now() < until) {
        /* busy */
      }
    });
    store.dispatch({ ...accepted(1), ts: 'x' } as EngineEvent);
    store.dispatch({ ...accepted(2), ts: 'x' } as EngineEvent);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toHaveLength(1); // a 100 ms throttle would have updated by now
    while (calls.length < 2) await new Promise((r) => setTimeout(r, 20));
    // start to start at least cost / 5%: the screen is busy at most 5% of the time
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(30 / 0.05 - 5);
    off();
  });

  it('a cost reported after the update (React renders in a later task) also spaces the next update out', async () => {
    const store = createRunStore();
    const calls: number[] = [];
    const throttle = subscribeThrottled(store, 100, () => calls.push(performance.now()));
    store.dispatch({ ...accepted(1), ts: 'x' } as EngineEvent);
    throttle.costWas(25);
    store.dispatch({ ...accepted(2), ts: 'x' } as EngineEvent);
    await new Promise((r) => setTimeout(r, 250));
    expect(calls).toHaveLength(1);
    while (calls.length < 2) await new Promise((r) => setTimeout(r, 20));
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(25 / 0.05 - 5);
    throttle.unsubscribe();
  });
});
