/**
 * The scheduler, ledger and stages with a scripted in-process provider: exact usage, no HTTP, so every
 * figure can be checked to the token. (The loopback-server tests prove the SDK paths.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { EngineEvent } from '../../src/core/events.js';
import type { GenerateRequest } from '../../src/core/provider.js';
import type { SampleStage } from '../../src/core/stages/index.js';
import type { Failure } from '../../src/core/types.js';
import { kinds, scene, ScriptedProvider, serverError, usdOf, type Scene } from './scripted.js';

let s: Scene;
beforeEach(() => {
  s = scene();
});
afterEach(() => s.cleanup());

const lines = <T>(path: string): T[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T) : []);
const types = (events: EngineEvent[]) => events.map((e) => e.type);

describe('the ledger books every call of a session', () => {
  test('topic expansion and samples are each booked at the price, by stage, and add up to cost_usd', async () => {
    const provider = new ScriptedProvider();
    const config = s.config();
    const { handle } = s.run(config, provider);
    const result = await handle.start();
    expect(result).toMatchObject({ status: 'done', done: 12, exitCode: 0 });
    const stats = s.stats('scripted');
    expect(provider.count('topics')).toBe(2); // one per category
    expect(stats.spend!.topics).toEqual({ requests: 2, input_tokens: 200, output_tokens: 100, cost_usd: usdOf(2) });
    expect(stats.spend!.samples.requests).toBe(provider.count('samples'));
    expect(stats.spend!.samples.cost_usd).toBeCloseTo(usdOf(provider.count('samples')), 9);
    expect(stats.cost_usd).toBeCloseTo(usdOf(provider.requests.length), 9);
    expect(stats.topic_requests).toBe(2);
  });

  test('usage a server sends that is not two non-negative whole numbers is booked at the worst case, with a warning', async () => {
    let n = 0;
    const provider = new ScriptedProvider((r) => (r.facts?.stage === 'samples' && n++ === 0 ? { usage: { input_tokens: -40_000, output_tokens: Number.NaN } } : undefined));
    const { handle, events } = s.run(s.config({ topics: { depth: 0 } }), provider);
    await handle.start();
    const stats = s.stats('scripted');
    const warned = events.filter((e) => e.type === 'warning');
    expect(warned).toHaveLength(1);
    const worst = provider.requests.find((r) => r.facts?.stage === 'samples')!;
    const chars = worst.system.length + worst.messages.reduce((k, m) => k + m.content.length, 0);
    const expected = usdOf(provider.count('samples') - 1) + (chars * 1 + worst.maxOutputTokens * 2) / 1e6;
    expect(stats.cost_usd).toBeCloseTo(expected, 9);
    expect(Number.isFinite(stats.cost_usd)).toBe(true);
  });

  test('mode batch sends live until a batch executor exists, and never books a live request at half price', async () => {
    const provider = new ScriptedProvider();
    const { handle, events } = s.run(s.config({ topics: { depth: 0 }, provider: { mode: 'batch' } as never }), provider);
    await handle.start();
    expect(s.stats('scripted').cost_usd).toBeCloseTo(usdOf(provider.requests.length), 9);
    expect(events.some((e) => e.type === 'warning' && /live price/.test(e.message))).toBe(true);
  });

  test('the budget cap holds: the run stops before spend would pass it, and says so with exit 3', async () => {
    const provider = new ScriptedProvider();
    provider.usage = { input_tokens: 1000, output_tokens: 1000 }; // $0.003 a request
    const { handle } = s.run(s.config({ size: 40, budget_usd: 0.02, topics: { depth: 0 } }), provider);
    const result = await handle.start();
    expect(result.exitCode).toBe(3);
    const stats = s.stats('scripted');
    expect(stats.cost_usd).toBeLessThanOrEqual(0.02);
    expect(stats.cost_usd).toBeCloseTo(provider.requests.length * 0.003, 9);
  });
});

describe('sample stages', () => {
  test('an answer with more examples than asked for is rejected as schema and asked again with feedback', async () => {
    let first = true;
    const provider = new ScriptedProvider((r) => {
      if (r.facts?.stage !== 'samples' || !first) return undefined;
      first = false;
      return (req) => {
        const extra = { examples: [...(JSON.parse(JSON.stringify(answerTwice(req))) as unknown[])] };
        return { json: extra, text: JSON.stringify(extra) };
      };
    });
    const { handle, events } = s.run(s.config({ size: 4, topics: { depth: 0 } }), provider);
    const result = await handle.start();
    expect(result.done).toBe(4);
    expect(kinds(events).schema).toBe(1);
    const rejected = events.find((e) => e.type === 'sample_rejected');
    expect(rejected && 'message' in rejected ? rejected.message : '').toMatch(/2 examples, exactly 1 was asked for/);
    // The retry carries the rejection as feedback.
    expect(provider.requests.some((r) => r.messages.some((m) => /Your previous answer was rejected: the answer had 2 examples/.test(m.content)))).toBe(true);
  });

  test('a plugged-in stage rejects, its slot is refilled, and accepted samples carry what the stage added', async () => {
    let seen = 0;
    const judge: SampleStage = {
      name: 'judge',
      run: async (c) => {
        seen++;
        if (seen <= 3) return { ok: false, kind: 'filtered', message: `scored 2.0 < 3.5 (call ${seen})` };
        c.extra.scores = { mean: 4.5 };
        return { ok: true };
      },
    };
    const { handle, events } = s.run(s.config({ size: 6, topics: { depth: 0 } }), new ScriptedProvider(), { extraStages: [judge] });
    const result = await handle.start();
    expect(result.done).toBe(6);
    expect(kinds(events).filtered).toBe(3);
    const failures = lines<Failure>(join(s.root, 'scripted', 'failures.jsonl'));
    expect(failures.filter((f) => f.kind === 'filtered').map((f) => f.message)).toEqual(['scored 2.0 < 3.5 (call 1)', 'scored 2.0 < 3.5 (call 2)', 'scored 2.0 < 3.5 (call 3)']);
    const samples = lines<{ scores?: unknown }>(join(s.root, 'scripted', 'samples.jsonl'));
    expect(samples.every((x) => JSON.stringify(x.scores) === '{"mean":4.5}')).toBe(true);
  });
});

describe('topic expansion', () => {
  test('a node whose every attempt failed stays pending: the run does not sample a partial tree, and a resume expands it', async () => {
    const failing = new ScriptedProvider((r) => (r.facts?.stage === 'topics' && r.facts.parent === 'Exchanges' ? serverError() : undefined));
    const config = s.config({ provider: { max_retries: 0 } as never });
    const first = s.run(config, failing);
    const result = await first.handle.start();
    expect(result).toMatchObject({ status: 'incomplete', exitCode: 1, done: 0 });
    expect(result.reason).toMatch(/topic expansion failed for 1 node\(s\) \(Exchanges;/);
    expect(failing.count('samples')).toBe(0);
    expect(first.events.find((e) => e.type === 'topics_failed')).toMatchObject({ nodes: [{ path: ['Exchanges'] }] });
    const journal = lines<{ path: string[] }>(join(s.root, 'scripted', 'topics.jsonl'));
    expect(journal.map((r) => r.path)).toEqual([['Refunds']]);

    const healthy = new ScriptedProvider();
    const second = s.run(config, healthy, { dir: join(s.root, 'scripted'), resume: true, config: undefined });
    const resumed = await second.handle.start();
    expect(resumed).toMatchObject({ status: 'done', done: 12 });
    // Only the pending node was asked again; the journaled one was reused.
    expect(healthy.count('topics')).toBe(1);
    expect(healthy.requests[0]!.facts).toMatchObject({ stage: 'topics', parent: 'Exchanges' });
  });

  test('a topic preview goes through the run: its spend is booked in the session and approval continues the same run', async () => {
    const provider = new ScriptedProvider();
    const config = s.config();
    const { handle, events } = s.run(config, provider);
    const preview = await handle.previewTopics();
    expect(preview.failed).toEqual([]);
    expect(preview.costUsd).toBeCloseTo(usdOf(2), 9);
    expect(s.stats('scripted').spend!.topics.cost_usd).toBeCloseTo(usdOf(2), 9);
    const { buildPlan } = await import('../../src/core/plan.js');
    handle.approve(buildPlan(config, preview.tree));
    await handle.start();
    expect(provider.count('topics')).toBe(2); // not asked again
    expect(s.stats('scripted').cost_usd).toBeCloseTo(usdOf(provider.requests.length), 9);
    expect(types(events).filter((t) => t === 'topic_done')).toHaveLength(2);
  });
});

describe('the engine announces what views used to guess', () => {
  test('retry failed answers with retry_queued, and a run that stopped itself counts every slot it never filled', async () => {
    const provider = new ScriptedProvider((r) => (r.facts?.stage === 'samples' ? { json: { nope: true }, text: '{"nope":true}' } : undefined));
    const { handle, events } = s.run(s.config({ size: 30, topics: { depth: 0 }, provider: { max_retries: 0, concurrency: 1 } as never }), provider);
    const result = await handle.start();
    expect(result.done).toBe(0);
    const end = events.find((e) => e.type === 'run_end');
    expect(end).toMatchObject({ done: 0, unfilled: 30 });
    expect(s.session('scripted').reason).toMatch(/20 requests in a row failed/);
    const { listSessions } = await import('../../src/core/session/index.js');
    expect(listSessions(s.root)[0]).toMatchObject({ done: 0, unfilled: 30 });
  });

  test('retryFailed queues the slots that gave up and says how many', async () => {
    let failing = 3;
    const provider = new ScriptedProvider((r) => (r.facts?.stage === 'samples' && failing-- > 0 ? serverError() : undefined));
    const { handle, events } = s.run(s.config({ size: 6, topics: { depth: 0 }, provider: { max_retries: 0, concurrency: 1 } as never }), provider);
    let rejected = 0;
    handle.events.on((e) => {
      // After the third slot gave up (the engine marks it right after the event), while others still run.
      if (e.type === 'sample_rejected' && ++rejected === 3) queueMicrotask(() => handle.retryFailed());
    });
    const result = await handle.start();
    expect(events.find((e) => e.type === 'retry_queued')).toMatchObject({ slots: 3, kinds: null });
    expect(result).toMatchObject({ status: 'done', done: 6 });
  });

  test('a sample removed after the run ended is recorded (no crash) and announced', async () => {
    const { handle, events } = s.run(s.config({ size: 3, topics: { depth: 0 } }), new ScriptedProvider());
    await handle.start();
    const accepted = events.find((e) => e.type === 'sample_accepted');
    const id = accepted && accepted.type === 'sample_accepted' ? accepted.sample.id : '';
    expect(() => handle.removeSample(id)).not.toThrow();
    expect(lines<{ id: string }>(join(s.root, 'scripted', 'removed.jsonl')).map((r) => r.id)).toEqual([id]);
    expect(events.at(-1)).toMatchObject({ type: 'sample_removed', id, done: 2 });
    expect(existsSync(join(s.root, 'scripted', 'session.lock'))).toBe(false);
  });
});

/** Two examples for a request that asked for one. */
function answerTwice(req: GenerateRequest): unknown[] {
  const facts = req.facts!;
  if (facts.stage !== 'samples') throw new Error('samples only');
  const slot = facts.slots[0]!;
  return [0, 1].map((i) => ({ messages: [{ role: 'user', content: `question ${i} about ${slot.path.join(' ')} and nothing else` }, { role: 'assistant', content: `a long enough answer number ${i} for the slot ${slot.id}` }] }));
}
