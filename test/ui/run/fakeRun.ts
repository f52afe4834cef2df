/**
 * A minimal stand-in for the engine's RunHandle: a real EventBus the test feeds, and a log of the intents
 * the screens sent. Like the engine, it answers a retry with `retry_queued` (counting the slots that gave
 * up in the events it carried) and a removal with `sample_removed`. The engine itself is covered by its own
 * tests and the end-to-end ones.
 */
import { act } from 'react';
import { validateConfig } from '../../../src/core/config.js';
import { EventBus, type EventInit } from '../../../src/core/events.js';
import type { RunHandle, RunResult } from '../../../src/core/run.js';
import type { FailureKind, Sample } from '../../../src/core/types.js';
import { emptyCounts } from '../../../src/ui/run/runStore.js';

export interface FakeRun {
  handle: RunHandle;
  calls: string[];
  emit(...events: EventInit[]): Promise<void>;
  finish(result: Partial<RunResult>): Promise<void>;
}

export function fakeRun(dir: string, format: 'openai' | 'trl' = 'openai'): FakeRun {
  const events = new EventBus();
  const calls: string[] = [];
  let resolve: (r: RunResult) => void = () => {};
  const done = new Promise<RunResult>((r) => (resolve = r));
  const gaveUp = new Map<string, FailureKind>();
  let accepted = 0;
  events.on((e) => {
    if (e.type === 'sample_rejected' && !e.willRetry) gaveUp.set(e.slot, e.kind);
    if (e.type === 'sample_accepted') accepted = e.done;
  });
  const handle: RunHandle = {
    events,
    dir,
    config: validateConfig({ name: 'returns', task: 'support', domain: 'returns', size: 10, format }),
    start: () => {
      calls.push('start');
      return done;
    },
    pause: () => void calls.push('pause'),
    resume: () => void calls.push('resume'),
    stop: () => void calls.push('stop'),
    retryFailed: (kinds) => {
      calls.push(`retryFailed(${kinds ? kinds.join(',') : ''})`);
      const slots = [...gaveUp].filter(([, k]) => !kinds || kinds.includes(k)).map(([s]) => s);
      slots.forEach((s) => gaveUp.delete(s));
      events.emit({ type: 'retry_queued', slots: slots.length, kinds: kinds ?? null });
    },
    raiseBudget: (usd) => void calls.push(`raiseBudget(${usd})`),
    removeSample: (id) => {
      calls.push(`removeSample(${id})`);
      accepted = Math.max(0, accepted - 1);
      events.emit({ type: 'sample_removed', id, slot: `slot-of-${id}`, done: accepted });
    },
    snapshot: () => emptyCounts(),
    previewTopics: () => Promise.reject(new Error('not in the fake')),
    approve: () => void calls.push('approve'),
    close: () => void calls.push('close'),
  };
  return {
    handle,
    calls,
    emit: async (...list) => {
      await act(async () => {
        for (const e of list) events.emit(e);
      });
    },
    finish: async (result) => {
      await act(async () => {
        resolve({ status: 'done', exitCode: 0, done: 0, target: 0, dir, ...result });
      });
    },
  };
}

export function sample(n: number, content = `answer number ${n}`): Sample {
  return {
    id: `s${n}`,
    slot: `t0-${n}_r0`,
    category: 'billing',
    topic: `refunds ${n}`,
    messages: [
      { role: 'system', content: 'You are a support agent.' },
      { role: 'user', content: `question number ${n}` },
      { role: 'assistant', content },
    ],
    model: 'test-model',
    usage: { input_tokens: 10, output_tokens: 20 },
    created_at: '2026-11-01T00:00:00.000Z',
  };
}

export const runStart: EventInit = {
  type: 'run_start', session: 'returns', dir: '/tmp/x', provider: 'openai', model: 'gpt-test', target: 10, done: 0, demo: false,
};

export function accepted(n: number, target = 10, content?: string): EventInit {
  return { type: 'sample_accepted', sample: sample(n, content), done: n, target, costUsd: 0 };
}

/** Writes a key inside act (React 19 drops keys written between renders otherwise). */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    await act(async () => {
      stdin.write(k);
    });
  }
}
