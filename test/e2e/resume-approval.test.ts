/**
 * `synthloom resume DIR` in a terminal shows what is left and its cost for approval, and spends nothing
 * before it (the test server counts no request); --yes starts at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { openRun as createRun } from '../../src/index.js';
import { tempDir } from '../ui/harness.js';
import { KEY } from './pty.js';
import { endToEndSuite } from './suite.js';

const e2e = endToEndSuite();

async function interrupted(cwd: string, name: string, size: number): Promise<string> {
  const config = validateConfig({
    name, task: 'customer support', domain: 'returns', size, output_dir: join(cwd, 'datasets'),
    topics: { categories: [{ name: 'Refunds' }], depth: 0 }, provider: { concurrency: 1 },
  });
  const handle = createRun({ config, env: e2e.openaiEnv() });
  handle.events.on((event) => {
    if (event.type === 'sample_accepted') handle.stop();
  });
  await handle.start();
  return join(cwd, 'datasets', name);
}

const count = (path: string): number => readFileSync(path, 'utf8').trim().split('\n').length;

describe('resume in a terminal', () => {
  for (const size of [{ cols: 80, rows: 24 }, { cols: 120, rows: 40 }]) {
    it(`shows slots left and the cost of what is left, and spends nothing before approval (${size.cols}x${size.rows})`, async () => {
      const cwd = tempDir('synthloom-e2e-');
      const dir = await interrupted(cwd, 'approve-resume', 8);
      const done = count(join(dir, 'samples.jsonl'));
      e2e.server.resetStats();
      const app = e2e.spawn(['resume', join('datasets', 'approve-resume')], { cwd, env: e2e.openaiEnv(), ...size });
      const screen = await app.waitForText('Resume and spend?');
      expect(screen).toMatch(/Cost of what is left\s+≈\$[\d.]+ · \$[\d.]+ spent so far · cap \$10\.00/);
      expect(screen).toMatch(new RegExp(`Slots left\\s+${8 - done}`));
      expect(screen).toMatch(/Changes\s+none since the plan was approved/);
      expect(screen).toContain(`${done} of 8 done`);
      // no line wraps: every row fits the width
      for (const line of app.screenLines()) expect(line.length).toBeLessThanOrEqual(size.cols);
      await new Promise((r) => setTimeout(r, 500));
      expect(e2e.server.stats().requests).toBe(0);
      app.press(KEY.enter);
      await app.waitForText('Run done', 60_000);
      expect(e2e.server.stats().requests).toBeGreaterThan(0);
      expect(count(join(dir, 'samples.jsonl'))).toBe(8);
      app.press(KEY.enter);
      expect(await app.exited).toBe(0);
    });
  }

  it('Cancel leaves with 130 and nothing spent', async () => {
    const cwd = tempDir('synthloom-e2e-');
    const dir = await interrupted(cwd, 'cancel-resume', 6);
    const before = readFileSync(join(dir, 'samples.jsonl'), 'utf8');
    e2e.server.resetStats();
    const app = e2e.spawn(['resume', join('datasets', 'cancel-resume')], { cwd, env: e2e.openaiEnv() });
    await app.waitForText('Resume and spend?');
    app.press('n');
    expect(await app.exited).toBe(130);
    expect(e2e.server.stats().requests).toBe(0);
    expect(readFileSync(join(dir, 'samples.jsonl'), 'utf8')).toBe(before);
  });

  it('--yes skips the question', async () => {
    const cwd = tempDir('synthloom-e2e-');
    await interrupted(cwd, 'yes-resume', 6);
    const app = e2e.spawn(['resume', join('datasets', 'yes-resume'), '--yes'], { cwd, env: e2e.openaiEnv() });
    const screen = await app.waitForText('Run done', 60_000);
    expect(app.output()).not.toContain('Resume and spend?');
    expect(screen).toContain('6/6');
    app.press(KEY.enter);
    expect(await app.exited).toBe(0);
  });
});
