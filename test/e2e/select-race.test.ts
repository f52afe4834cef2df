/**
 * Why screens use our Select and not ink-select-input (docs/ui-notes.md): keys that arrive before React
 * renders again. ink-select-input 6.2.0 selects the row highlighted before the arrow; ours the right one.
 */
import { resolve } from 'node:path';
import pty from '@lydell/node-pty';
import { describe, expect, it } from 'vitest';

const FIXTURE = resolve('test/e2e/fixtures/select-race.tsx');

async function choose(which: 'ink' | 'ours', writes: string[]): Promise<string | undefined> {
  const child = pty.spawn(process.execPath, ['--import', 'tsx', FIXTURE, which], {
    cols: 80,
    rows: 24,
    cwd: process.cwd(),
    env: childEnv(),
  });
  let out = '';
  child.onData((d) => (out += d));
  const exited = new Promise<void>((r) => child.onExit(() => r()));
  const deadline = Date.now() + 20_000;
  while (!out.includes('ready') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  for (const w of writes) child.write(w);
  const timer = setTimeout(() => child.kill(), 10_000);
  await exited;
  clearTimeout(timer);
  return /selected=(\w+)/.exec(out)?.[1];
}

/** Ink draws only the last frame when any CI variable is set: the fixture must not see one. */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI') env[k] = v;
  return { ...env, TERM: 'xterm-256color' };
}

const DOWN = '\u001b[B';

describe('a list with keys faster than React renders', () => {
  it('↓ Enter in one chunk: ink-select-input 6.2.0 selects the stale row, ours the highlighted one', async () => {
    expect(await choose('ink', [`${DOWN}\r`])).toBe('first'); // the bug, written down in docs/ui-notes.md
    expect(await choose('ours', [`${DOWN}\r`])).toBe('second');
  });

  it('↓ ↓ Enter back to back: the same', async () => {
    expect(await choose('ink', [DOWN, DOWN, '\r'])).toBe('first');
    expect(await choose('ours', [DOWN, DOWN, '\r'])).toBe('third');
  });
});
