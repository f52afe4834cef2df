/**
 * Every screen at 80x24 and at 120x40 with NO_COLOR set: each frame is drawn once (its header and footer
 * appear exactly once, nothing wraps into the next row), it fits the terminal, and no colour escape reaches
 * the terminal (reverse video for the cursor is not colour and stays).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { openRun as createRun } from '../../src/index.js';
import { tempDir } from '../ui/harness.js';
import { KEY, type PtyApp } from './pty.js';
import { endToEndSuite } from './suite.js';

const e2e = endToEndSuite();

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** The screen once it stops changing for a moment. */
async function settled(app: PtyApp, match: string | RegExp): Promise<string> {
  let text = await app.waitForText(match);
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 120));
    const next = await app.waitForText(match);
    if (next === text) return text;
    text = next;
  }
  return text;
}

/** A frame drawn once, within the terminal: header first, header and footer once, a spare row at the bottom. */
function expectClean(text: string, header: string, footer: string, rows: number): void {
  const lines = text.split('\n');
  expect(countOf(text, header)).toBe(1);
  expect(countOf(text, footer)).toBe(1);
  expect(lines[0]).toContain(header);
  const last = lines.map((l) => l.trim() !== '').lastIndexOf(true);
  expect(last).toBeLessThan(rows - 1);
}

/** SGR colour parameters (30-37, 39-47, 49, 90-107, 38;..., 48;...): none may be written under NO_COLOR. */
function colourEscapes(raw: string): string[] {
  // eslint-disable-next-line no-control-regex
  const sgr = raw.match(/\u001b\[[0-9;]*m/g) ?? [];
  return sgr.filter((s) => s.slice(2, -1).split(';').some((p) => /^(3[0-9]|4[0-9]|9[0-7]|10[0-7])$/.test(p)));
}

async function makeSession(cwd: string): Promise<void> {
  const config = validateConfig({
    name: 'saved',
    task: 'support',
    domain: 'returns',
    size: 3,
    output_dir: join(cwd, 'datasets'),
    topics: { categories: [{ name: 'Refunds' }, { name: 'Returns' }], depth: 0 },
    provider: { name: 'demo', model: 'demo-template-1', concurrency: 1 },
  });
  await createRun({ config, env: {} }).start();
}

async function down(app: PtyApp, to: string): Promise<void> {
  let text = await app.waitForText(/›/);
  for (let i = 0; i < 12 && !text.includes(`› ${to}`); i++) {
    const before = text;
    app.press(KEY.down);
    for (let t = 0; t < 50 && text === before; t++) {
      await new Promise((r) => setTimeout(r, 30));
      text = await app.waitForText(/›/);
    }
  }
  await app.waitForText(`› ${to}`);
}

for (const [cols, rows] of [
  [80, 24],
  [120, 40],
] as const) {
  describe(`every screen at ${cols}x${rows} with NO_COLOR`, () => {
    it('home, help, session, wizard questions', async () => {
      const cwd = tempDir('synthloom-e2e-size-');
      await makeSession(cwd);
      const app = e2e.spawn([], { cwd, cols, rows, env: { NO_COLOR: '1' } });
      expectClean(await settled(app, 'Open saved'), 'synthloom · Home', 'enter choose', rows);
      app.press('?');
      expectClean(await settled(app, 'Keys · Home'), 'synthloom · Keys · Home', 'esc/? close help', rows);
      app.press(KEY.esc);
      await down(app, 'Open saved');
      app.press(KEY.enter);
      expectClean(await settled(app, 'synthloom · Session saved'), 'synthloom · Session saved', 'esc/q back', rows);
      app.press(KEY.esc);
      await settled(app, 'synthloom · Home');
      await down(app, 'New dataset');
      app.press(KEY.enter);
      expectClean(await settled(app, 'step 1 of'), 'synthloom · New dataset', 'enter accept', rows);
      app.type('a task with a long description that goes on and on past the edge of an eighty column terminal');
      const long = await settled(app, 'What should the fine-tuned model do?');
      expectClean(long, 'synthloom · New dataset', 'enter accept', rows);
      app.press(KEY.enter);
      await settled(app, 'step 2 of');
      app.press(KEY.enter);
      await settled(app, 'step 3 of');
      app.press(KEY.enter);
      expectClean(await settled(app, 'How many examples?'), 'synthloom · New dataset', 'enter accept', rows); // the size guidance
      app.press(KEY.enter);
      expectClean(await settled(app, 'What tone should'), 'synthloom · New dataset', 'enter choose', rows);
      expect(colourEscapes(app.output())).toEqual([]);
      app.kill();
    });

    it('plan, edit an answer, the run dashboard and the done screen', async () => {
      const cwd = tempDir('synthloom-e2e-size-');
      const file = join(cwd, 'cfg.yaml');
      writeFileSync(
        file,
        [
          'name: sized',
          'task: customer support for a bicycle shop with a rather long task description',
          'domain: returns',
          'size: 24',
          'output_dir: ./datasets',
          'topics: {categories: [{name: Refunds}, {name: Returns}, {name: Repairs, weight: 2}], depth: 0}',
          'provider: {name: demo, model: demo-template-1, concurrency: 1}',
        ].join('\n'),
      );
      const app = e2e.spawn(['run', file], { cwd, cols, rows, env: { NO_COLOR: '1' } });
      expectClean(await settled(app, 'Approve and start'), 'synthloom · Plan sized', 'enter choose', rows);
      await down(app, 'Edit an answer');
      app.press(KEY.enter);
      expectClean(await settled(app, 'Which answer do you want to change?'), 'synthloom · Plan sized', 'enter choose', rows);
      app.press(KEY.esc);
      await settled(app, 'Approve and start');
      await app.waitForText('› Approve and start'); // the actions start at Approve again
      app.press(KEY.enter);
      const live = await app.waitForText(/^sized · demo demo-template-1 \(demo\) · running/m, 30_000);
      expect(countOf(live, 'p pause/resume')).toBe(1);
      if (process.env.SHOW) console.log(live);
      expect(live.split('\n').filter((l) => /^sized · demo demo-template-1/.test(l))).toHaveLength(1);
      expect(live.split('\n').every((l) => l.length <= cols)).toBe(true);
      const done = await settled(app, 'Run done');
      expect(countOf(done, 'enter/q exit')).toBe(1);
      expect(countOf(done, 'Run done')).toBe(1);
      expect(colourEscapes(app.output())).toEqual([]);
      app.press('q');
      expect(await app.exited).toBe(0);
    });
  });
}
