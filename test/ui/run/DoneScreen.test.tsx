import React from 'react';
import { act } from 'react';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventInit } from '../../../src/core/events.js';
import type { RunEndStatus } from '../../../src/core/events.js';
import { RunScreen } from '../../../src/ui/run/RunScreen.js';
import { accepted, fakeRun, press, runStart } from './fakeRun.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function end(dir: string, status: RunEndStatus, failedSlots: number, exitCode: number): EventInit {
  return {
    type: 'run_end', status, sessionStatus: status === 'done' ? 'done' : 'incomplete', done: 9, target: 10, failedSlots, unfilled: 1,
    tokens: { input: 100, output: 200 }, costUsd: 0.25, elapsedS: 75, exitCode, dir,
  };
}

async function finishedRun(status: RunEndStatus, failedSlots: number, exitCode: number, withDataset: boolean, format: 'openai' | 'trl' = 'openai') {
  const dir = mkdtempSync(join(tmpdir(), 'synthloom done '));
  writeFileSync(join(dir, 'samples.jsonl'), '');
  if (withDataset) {
    mkdirSync(join(dir, 'dataset'));
    for (const f of ['train.jsonl', 'validation.jsonl', 'test.jsonl']) writeFileSync(join(dir, 'dataset', f), '');
    const info = 'synthloom dataset: returns\ntask: support\n\nrows\n  train 7 · validation 1 · test 1\n\ncontent\n  multi-turn ratio 0.30\u001b[2J\n';
    writeFileSync(join(dir, 'dataset', 'dataset_info.txt'), info);
  }
  const run = fakeRun(dir, format);
  const exits: number[] = [];
  let app!: ReturnType<typeof render>;
  await act(async () => {
    app = render(<RunScreen handle={run.handle} onExit={(c) => exits.push(c)} renderIntervalMs={0} />);
  });
  cleanup = () => app.unmount();
  await run.emit(runStart, accepted(1), { type: 'sample_rejected', slot: 'z_r0', attempt: 5, kind: 'schema', message: 'bad', willRetry: false });
  await run.emit(end(dir, status, failedSlots, exitCode));
  await run.finish({ status, exitCode });
  return { dir, run, app, exits, frame: () => app.lastFrame() ?? '' };
}

describe('DoneScreen', () => {
  it('lists the files written, the dataset_info summary and the commands to export and validate', async () => {
    const { dir, frame } = await finishedRun('done', 0, 0, true);
    const f = frame();
    const quoted = `'${dir}'`; // the path has a space: the commands quote it
    expect(f).toContain('Run done');
    expect(f).toContain('9/10 samples · $0.25 spent · 1m 15s');
    expect(f).toContain(`session  ${dir}`);
    expect(f).toContain(join(dir, 'samples.jsonl'));
    expect(f).toContain(`dataset  ${join(dir, 'dataset')}/\n           dataset_info.txt  test.jsonl  train.jsonl  validation.jsonl`);
    expect(f).toContain('train 7 · validation 1 · test 1');
    expect(f).not.toContain('synthloom dataset: returns'); // the heading block repeats the config: left out
    expect(f).toContain('multi-turn ratio 0.30');
    expect(f).not.toContain('\u001b[2J');
    expect(f).toContain(`synthloom export ${quoted} --format openai`);
    expect(f).toContain(`synthloom validate '${join(dir, 'dataset', 'train.jsonl')}'`);
    expect(f).not.toContain('synthloom resume');
  });

  it('an incomplete run shows the failures left and how to resume with a retry', async () => {
    const { dir, frame } = await finishedRun('incomplete', 1, 1, false);
    expect(frame()).toContain('unfilled: 1 of 10 slot(s) (1 gave up after retries) · schema 1');
    expect(frame()).toContain(`synthloom resume '${dir}' --retry-failed`);
  });

  it('the export command uses the format the config asked for', async () => {
    const { dir, frame } = await finishedRun('done', 0, 0, false, 'trl');
    expect(frame()).toContain(`synthloom export '${dir}' --format trl`);
  });

  it('enter leaves with the run\'s exit code; f and s open the panels first', async () => {
    const { app, exits, frame } = await finishedRun('incomplete', 1, 1, false);
    await press(app.stdin, 'f');
    expect(frame()).toContain('Failures by kind');
    await press(app.stdin, '\u001b', 's');
    expect(frame()).toContain('Samples: 1 accepted');
    await press(app.stdin, '\u001b');
    expect(exits).toEqual([]);
    await press(app.stdin, '\r');
    expect(exits).toEqual([1]);
  });

  it('a run that could not start shows why and leaves with its exit code', async () => {
    const run = fakeRun(mkdtempSync(join(tmpdir(), 'synthloom-fail-')));
    run.handle.start = () => Promise.reject(Object.assign(new Error('OPENAI_API_KEY is not set\nstack'), { exitCode: 2 }));
    const exits: number[] = [];
    let app!: ReturnType<typeof render>;
    await act(async () => {
      app = render(<RunScreen handle={run.handle} onExit={(c) => exits.push(c)} renderIntervalMs={0} />);
    });
    cleanup = () => app.unmount();
    expect(app.lastFrame()).toContain('OPENAI_API_KEY is not set');
    expect(app.lastFrame()).not.toContain('stack');
    await press(app.stdin, 'q');
    expect(exits).toEqual([2]);
  });
});
