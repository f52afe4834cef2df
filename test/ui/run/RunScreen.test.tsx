import React from 'react';
import { act } from 'react';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { RunScreen } from '../../../src/ui/run/RunScreen.js';
import { accepted, fakeRun, press, runStart, type FakeRun } from './fakeRun.js';

const CTRL_C = '\u0003';
const ESC = '\u001b';

async function mount(run: FakeRun) {
  const exits: number[] = [];
  let app!: ReturnType<typeof render>;
  await act(async () => {
    app = render(<RunScreen handle={run.handle} onExit={(c) => exits.push(c)} renderIntervalMs={0} />);
  });
  return { ...app, exits, frame: () => app.lastFrame() ?? '' };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
  const run = fakeRun(mkdtempSync(join(tmpdir(), 'synthloom-run-')));
  const app = await mount(run);
  cleanup = () => app.unmount();
  return { run, app };
}

describe('RunScreen', () => {
  it('starts the run and shows progress, speed, cost, requests, failures and the latest sample', async () => {
    const { run, app } = await setup();
    expect(run.calls).toEqual(['start']);
    await run.emit(runStart, accepted(1), accepted(2), accepted(3));
    await run.emit({
      type: 'progress', done: 3, target: 10, failedSlots: 0, unfilled: 7, inFlight: 4, queued: 3, requests: 9, ratePerMin: 42.5, etaS: 125,
      tokens: { input: 12_345, output: 2_100 }, costUsd: 0.12, spendByStage: { topics: 0.02, samples: 0.1, judge: 0 }, projectedUsd: 0.4, budgetUsd: 10,
      limiter: { state: 'waiting', reason: 'rpm', waitMs: 4000 }, failures: {}, paused: false,
    });
    await run.emit(
      { type: 'sample_rejected', slot: 'a_r0', attempt: 1, kind: 'truncated', message: 'cut off', willRetry: true },
      { type: 'sample_rejected', slot: 'b_r0', attempt: 4, kind: 'truncated', message: 'cut off', willRetry: false },
      { type: 'sample_rejected', slot: 'c_r0', attempt: 1, kind: 'server', message: '500', status: 500, willRetry: true },
    );
    const f = app.frame();
    expect(f).toContain('3/10 30%');
    expect(f).toContain('42.5/min · ETA 2m 05s');
    expect(f).toContain('tokens 12k in / 2.1k out');
    expect(f).toContain('$0.12 spent · $0.40 projected · cap $10.00');
    expect(f).toContain('4 in flight');
    expect(f).toMatch(/waiting for rate limit, [34] s/);
    expect(f).toContain('server 1 · truncated 2');
    expect(f).toContain('(1 slot(s) gave up: r to retry)');
    expect(f).toContain('latest sample · billing › refunds 3');
    expect(f).toMatch(/user:\s+question number 3/);
    expect(f).toMatch(/assistant:\s+answer number 3/);
    expect(f).toContain('p pause/resume · f failures · s samples · r retry failed · q quit · ? help · ←/→ browse');
  });

  it('shows a model answer with a clear-screen and an OSC 52 clipboard write as plain text', async () => {
    const { run, app } = await setup();
    const evil = 'before\u001b[2J\u001b]52;c;SGVsbG8=\u0007after\u0007 bell\r\rend';
    await run.emit(runStart, accepted(1, 10, evil));
    const f = app.frame();
    expect(f).toContain('beforeafter bellend');
    expect(f).not.toContain('\u001b[2J');
    expect(f).not.toContain(']52;');
    expect(f).not.toContain('\u0007');
    expect(f).not.toContain('\r');
  });

  it('browses earlier samples with the arrow keys and follows the latest again at the end', async () => {
    const { run, app } = await setup();
    await run.emit(runStart, accepted(1), accepted(2), accepted(3));
    await press(app.stdin, `${ESC}[D`);
    expect(app.frame()).toContain('sample -1 · billing › refunds 2');
    await press(app.stdin, `${ESC}[D`, `${ESC}[D`);
    expect(app.frame()).toContain('sample -2 · billing › refunds 1');
    await run.emit(accepted(4));
    expect(app.frame()).toContain('refunds 1'); // pinned while browsing
    await press(app.stdin, ']', ']', ']');
    expect(app.frame()).toContain('latest sample · billing › refunds 4');
  });

  it('p pauses and resumes through the engine', async () => {
    const { run, app } = await setup();
    await run.emit(runStart);
    await press(app.stdin, 'p');
    expect(run.calls).toContain('pause');
    await run.emit({ type: 'paused', reason: 'user', message: 'paused', costUsd: 0, budgetUsd: 10 });
    expect(app.frame()).toContain('PAUSED');
    expect(app.frame()).toContain('no new requests are sent');
    await press(app.stdin, 'p');
    expect(run.calls.at(-1)).toBe('resume');
  });

  it('r re-queues the slots that gave up, and says so when there are none', async () => {
    const { run, app } = await setup();
    await run.emit(runStart);
    await press(app.stdin, 'r');
    expect(run.calls).toEqual(['start']);
    expect(app.frame()).toContain('no slot has given up');
    await run.emit({ type: 'progress', ...(await import('../../../src/ui/run/runStore.js')).emptyCounts(), failedSlots: 2, target: 10 });
    await press(app.stdin, 'r');
    expect(run.calls).toEqual(['start', 'retryFailed()']);
  });

  it('quit asks first; n keeps running, y stops gracefully and leaves once the run has ended', async () => {
    const { run, app } = await setup();
    await run.emit(runStart, accepted(1));
    await press(app.stdin, 'q');
    expect(app.frame()).toContain('Stop the run?');
    await press(app.stdin, 'n');
    expect(app.frame()).not.toContain('Stop the run?');
    expect(run.calls).not.toContain('stop');
    await press(app.stdin, CTRL_C);
    expect(app.frame()).toContain('Stop the run?');
    await press(app.stdin, 'y');
    expect(run.calls).toContain('stop');
    await run.emit({ type: 'stopping', reason: 'user asked', inFlight: 2 });
    expect(app.frame()).toContain('Stopping: waiting for requests in flight');
    expect(app.exits).toEqual([]);
    await run.emit({
      type: 'run_end', status: 'interrupted', sessionStatus: 'interrupted', done: 1, target: 10, failedSlots: 0, unfilled: 0,
      tokens: { input: 1, output: 1 }, costUsd: 0.01, elapsedS: 3, exitCode: 130, dir: run.handle.dir,
    });
    await run.finish({ status: 'interrupted', exitCode: 130 });
    expect(app.exits).toEqual([130]);
    expect(app.frame()).toContain(`synthloom resume ${run.handle.dir}`);
  });

  it('Ctrl+C twice stops; a third while stopping quits at once with 130', async () => {
    const { run, app } = await setup();
    await run.emit(runStart);
    await press(app.stdin, CTRL_C, CTRL_C);
    expect(run.calls).toContain('stop');
    await run.emit({ type: 'stopping', reason: 'user asked', inFlight: 5 });
    await press(app.stdin, CTRL_C);
    expect(app.exits).toEqual([130]);
  });

  it('a budget pause asks for a new cap: a number raises it, too small a number is refused', async () => {
    const { run, app } = await setup();
    await run.emit(runStart, { type: 'progress', ...(await import('../../../src/ui/run/runStore.js')).emptyCounts(), costUsd: 9.95, budgetUsd: 10 });
    await run.emit({ type: 'paused', reason: 'budget', message: 'cap', costUsd: 9.95, budgetUsd: 10 });
    expect(app.frame()).toContain('Budget cap reached: $9.95 of $10.00');
    await press(app.stdin, '5', '\r');
    expect(app.frame()).toContain('enter an amount above $9.95');
    expect(run.calls).not.toContain('raiseBudget(5)');
    await press(app.stdin, '\u007f', '2', '5', '\r');
    expect(run.calls).toContain('raiseBudget(25)');
  });

  it('q at the budget prompt stops the run', async () => {
    const { run, app } = await setup();
    await run.emit(runStart, { type: 'paused', reason: 'budget', message: 'cap', costUsd: 10, budgetUsd: 10 });
    await press(app.stdin, 'q');
    expect(run.calls).toContain('stop');
  });

  it('keeps the live region shorter than the terminal, also after a resize', async () => {
    const { run, app } = await setup();
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} of a very long answer`).join('\n');
    await run.emit(runStart, accepted(1, 10, long));
    // the frame is the scrollback (Static lines start with "· ") followed by the live region
    const liveLines = () => app.frame().split('\n').filter((l) => !l.startsWith('· '));
    expect(liveLines().length).toBe(21); // compact: stats, sparkline, one category bar, status, a 12-row sample preview, footer
    expect(liveLines().length).toBeLessThan(24);
    Object.defineProperty(app.stdout, 'rows', { value: 14, configurable: true });
    await act(async () => {
      app.stdout.emit('resize');
    });
    const lines = liveLines();
    expect(lines.length).toBe(13);
    expect(lines.join('\n')).toContain('line 0 of a very long answer');
    expect(lines.at(-1)).toContain('p pause/resume'); // the footer is still there
  });

  it('milestones go to the scrollback (Static) once, not into the live region', async () => {
    const { run, app } = await setup();
    await run.emit(runStart, accepted(1), accepted(2));
    const f = app.frame();
    expect(f.split('\n')[0]).toBe('· session returns · openai gpt-test');
    expect(f).toContain('· 10% · 1/10 samples');
    expect(f.match(/· 10% ·/g)).toHaveLength(1);
  });
});

describe('RunScreen help', () => {
  it('? shows the dashboard keys from its footer table, esc goes back; keys do not act on the run meanwhile', async () => {
    const { run, app } = await setup();
    await run.emit(runStart, accepted(1));
    await press(app.stdin, '?');
    const f = app.frame();
    expect(f).toContain('synthloom · Keys · Run');
    expect(f).toMatch(/p\s+pause\/resume/);
    expect(f).toMatch(/← \[ → \]\s+browse \/ later samples/);
    await press(app.stdin, 'p');
    expect(run.calls).not.toContain('pause');
    await press(app.stdin, ESC);
    expect(app.frame()).toContain('p pause/resume');
  });
});
