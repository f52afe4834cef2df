import React from 'react';
import { act } from 'react';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { RunScreen } from '../../../src/ui/run/RunScreen.js';
import { accepted, fakeRun, press, runStart, sample } from './fakeRun.js';

const ESC = '\u001b';
const DOWN = `${ESC}[B`;

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A session whose samples.jsonl already holds samples 1..saved (as after a resume), then `live` more accepted now. */
async function openBrowser(saved: number, live: number[]) {
  const dir = mkdtempSync(join(tmpdir(), 'synthloom-samples-'));
  const lines = Array.from({ length: saved }, (_, i) => JSON.stringify(sample(i + 1))).join('\n');
  writeFileSync(join(dir, 'samples.jsonl'), saved > 0 ? `${lines}\n` : '');
  const run = fakeRun(dir);
  let app!: ReturnType<typeof render>;
  await act(async () => {
    app = render(<RunScreen handle={run.handle} onExit={() => {}} renderIntervalMs={0} />);
  });
  cleanup = () => app.unmount();
  await run.emit(runStart, ...live.map((n) => accepted(n, 20)));
  await press(app.stdin, 's');
  return { run, app, frame: () => app.lastFrame() ?? '' };
}

describe('SampleBrowser', () => {
  it('lists the saved samples and the ones accepted since, newest first, with category and topic', async () => {
    const { frame } = await openBrowser(3, [3, 4, 5]); // sample 3 is both on disk and in memory
    const f = frame();
    expect(f).toContain('Samples: 5 accepted, newest first');
    expect(f).toMatch(/›\s+5\s+billing › refunds 5 · 1 user turn\(s\) · s5/);
    expect(f).toMatch(/\s1\s+billing › refunds 1 · 1 user turn\(s\) · s1/);
    expect(f).toMatch(/assistant:\s+answer number 5/);
  });

  it('scrolls with the arrow keys and shows the selected sample', async () => {
    const { app, frame } = await openBrowser(6, []);
    await press(app.stdin, DOWN, DOWN);
    expect(frame()).toMatch(/›\s+4\s+billing › refunds 4/);
    expect(frame()).toMatch(/user:\s+question number 4/);
    await press(app.stdin, `${ESC}[A`);
    expect(frame()).toMatch(/user:\s+question number 5/);
  });

  it('deletes a sample only after a confirmation, through the engine', async () => {
    const { run, app, frame } = await openBrowser(3, []);
    await press(app.stdin, DOWN, 'd');
    expect(frame()).toContain('Delete sample s2? It stays in the session as removed and is left out of exports. y/n');
    await press(app.stdin, 'n');
    expect(run.calls).toEqual(['start']);
    expect(frame()).toContain('Samples: 3 accepted');
    await press(app.stdin, 'd', 'y');
    expect(run.calls).toEqual(['start', 'removeSample(s2)']);
    expect(frame()).toContain('Samples: 2 accepted');
    expect(frame()).toContain('deleted s2');
    expect(frame()).not.toMatch(/refunds 2\b/);
  });

  it('shows sample text from the model without its escape sequences', async () => {
    const { run, app, frame } = await openBrowser(0, []);
    expect(frame()).toContain('No accepted samples yet.');
    await run.emit(accepted(1, 20, 'x\u001b[2Jy\u001b]52;c;SGVsbG8=\u0007z'));
    await press(app.stdin, ESC, 's');
    expect(frame()).toMatch(/assistant:\s+xyz/);
    expect(frame()).not.toContain('\u001b[2J');
    expect(frame()).not.toContain(']52;');
  });

  it('esc goes back to the dashboard', async () => {
    const { app, frame } = await openBrowser(1, []);
    await press(app.stdin, ESC);
    expect(frame()).toContain('p pause/resume');
  });
});
