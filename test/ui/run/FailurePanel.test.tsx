import React from 'react';
import { act } from 'react';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventInit } from '../../../src/core/events.js';
import type { FailureKind } from '../../../src/core/types.js';
import { RunScreen } from '../../../src/ui/run/RunScreen.js';
import { fakeRun, press, runStart } from './fakeRun.js';

const ESC = '\u001b';
const DOWN = `${ESC}[B`;

function rejected(kind: FailureKind, slot: string, willRetry: boolean, extra: Partial<EventInit & { status: number; raw: string }> = {}): EventInit {
  return { type: 'sample_rejected', slot, attempt: willRetry ? 1 : 5, kind, message: `${kind} on ${slot}`, willRetry, ...extra } as EventInit;
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function openPanel(events: EventInit[]) {
  const run = fakeRun(mkdtempSync(join(tmpdir(), 'synthloom-fail-')));
  let app!: ReturnType<typeof render>;
  await act(async () => {
    app = render(<RunScreen handle={run.handle} onExit={() => {}} renderIntervalMs={0} />);
  });
  cleanup = () => app.unmount();
  await run.emit(runStart, ...events);
  await press(app.stdin, 'f');
  return { run, app, frame: () => app.lastFrame() ?? '' };
}

describe('FailurePanel', () => {
  const scripted: EventInit[] = [
    rejected('server', 'a_r0', true, { status: 503, raw: 'upstream \u001b]52;c;SGVsbG8=\u0007overloaded' }),
    rejected('server', 'b_r0', true, { status: 502 }),
    rejected('truncated', 'c_r0', true, { raw: '{"messages":[{"role":"user","content":"How do I\u001b[2J' }),
    rejected('truncated', 'c_r0', false, { raw: '{"messages":[' }),
    rejected('truncated', 'd_r0', false),
    rejected('auth', 'e_r0', false, { status: 401 }),
  ];

  it('groups failures by kind with counts, slots that gave up and a hint for each', async () => {
    const { frame } = await openPanel(scripted);
    const f = frame();
    expect(f).toContain('Failures by kind (3 slot(s) gave up)');
    expect(f).toMatch(/› server\s+2 · the provider's servers failed/);
    expect(f).toMatch(/ truncated\s+3 \(2 gave up\) · the answer hit the output token limit: raise provider.max_output_t/);
    expect(f).toMatch(/ auth\s+1 \(1 gave up\) · check OPENAI_API_KEY \/ ANTHROPIC_API_KEY/);
  });

  it('shows the selected kind\'s records with message, HTTP status and a sanitised excerpt of the raw answer', async () => {
    const { app, frame } = await openPanel(scripted);
    expect(frame()).toContain('server: latest 2 of 2');
    expect(frame()).toContain('slot b_r0 · attempt 1 · HTTP 502 · will retry');
    expect(frame()).toContain('raw: upstream overloaded');
    expect(frame()).not.toContain(']52;');
    expect(frame()).not.toContain('\u0007');
    await press(app.stdin, DOWN, DOWN);
    expect(frame()).toContain('truncated: latest 3 of 3');
    expect(frame()).toContain('slot c_r0 · attempt 5 · gave up');
    expect(frame()).toContain('raw: {"messages":[{"role":"user","content":"How do I');
    expect(frame()).not.toContain('\u001b[2J');
    expect(frame()).toContain('(no raw answer)');
  });

  it('retries one kind or all through the engine, and esc goes back to the dashboard', async () => {
    const { run, app, frame } = await openPanel(scripted);
    await press(app.stdin, DOWN, DOWN, 'r');
    expect(run.calls.at(-1)).toBe('retryFailed(truncated)');
    expect(frame()).toContain('re-queued the truncated slots that gave up');
    expect(frame()).toMatch(/ truncated\s+3 · /); // no longer "gave up"
    await press(app.stdin, 'a');
    expect(run.calls.at(-1)).toBe('retryFailed()');
    await press(app.stdin, ESC);
    expect(frame()).toContain('p pause/resume');
  });

  it('after the run has ended it offers the resume command instead of retrying', async () => {
    const { run, app, frame } = await openPanel([]);
    await press(app.stdin, ESC);
    await run.emit(rejected('parse', 'x_r0', false), {
      type: 'run_end', status: 'incomplete', sessionStatus: 'incomplete', done: 9, target: 10, failedSlots: 1, unfilled: 0,
      tokens: { input: 1, output: 1 }, costUsd: 0.1, elapsedS: 2, exitCode: 1, dir: run.handle.dir,
    });
    await press(app.stdin, 'f');
    expect(frame()).toMatch(/parse\s+1/);
    expect(frame()).toContain(`synthloom resume ${run.handle.dir} --retry-failed`);
    expect(frame()).not.toContain('a retry all');
    await press(app.stdin, 'a');
    expect(run.calls).toEqual(['start']);
  });

  it('says so when there are no failures', async () => {
    const { frame } = await openPanel([]);
    expect(frame()).toContain('No failures so far.');
  });
});
