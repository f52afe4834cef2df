/**
 * A minimal stand-in for the engine's RunHandle: a real EventBus the test feeds, and a log of the intents
 * the screens sent. The engine itself is covered by its own tests and the end-to-end ones.
 */
import { act } from 'react';
import { validateConfig } from '../../../src/core/config.js';
import { EventBus, type EventInit } from '../../../src/core/events.js';
import type { RunHandle, RunResult } from '../../../src/core/run.js';
import type { Sample } from '../../../src/core/types.js';
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
    retryFailed: (kinds) => void calls.push(`retryFailed(${kinds ? kinds.join(',') : ''})`),
    raiseBudget: (usd) => void calls.push(`raiseBudget(${usd})`),
    removeSample: (id) => void calls.push(`removeSample(${id})`),
    snapshot: () => emptyCounts(),
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
  return { type: 'sample_accepted', sample: sample(n, content), done: n, target };
}

/** Writes a key inside act (React 19 drops keys written between renders otherwise). */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    await act(async () => {
      stdin.write(k);
    });
  }
}
