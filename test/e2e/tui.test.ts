/**
 * The TUI end to end in a real pseudo-terminal, against the loopback test server as the OpenAI endpoint:
 * home -> wizard -> plan (no request yet) -> approve -> run -> files; a saved session resumed from home;
 * the screens at 80x24 and after a resize to 60x20.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configToYaml, validateConfig } from '../../src/core/config.js';
import { openRun as createRun } from '../../src/index.js';
import { tempDir } from '../ui/harness.js';
import { KEY, type PtyApp } from './pty.js';
import { endToEndSuite } from './suite.js';

const e2e = endToEndSuite();

function start(args: string[], cwd: string, size: { cols: number; rows: number } = { cols: 80, rows: 24 }): PtyApp {
  return e2e.spawn(args, { cwd, env: e2e.openaiEnv(), ...size });
}

/** Waits for question k, then types the answer (empty: keep the default) and presses Enter. */
async function answer(app: PtyApp, k: number, title: string, text = '', of = 21): Promise<void> {
  await app.waitForText(`step ${k} of ${of}`);
  await app.waitForText(title);
  if (text) {
    app.type(text);
    await app.waitForText(`> ${text}`); // typed text and Enter must arrive as separate inputs
  }
  app.press(KEY.enter);
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').trim().split('\n');
}

describe('synthloom in a terminal', () => {
  it('home -> new -> every wizard question -> plan with no request made -> approve -> run finishes with files', async () => {
    const cwd = tempDir('synthloom-e2e-');
    e2e.server.resetStats();
    const app = start([], cwd);
    await app.waitForText('synthloom · Home');
    await new Promise((r) => setTimeout(r, 200)); // drawn is not yet listening: under load the Enter was lost
    app.press(KEY.enter); // New dataset
    await answer(app, 1, 'What should the fine-tuned model do?', 'returns support');
    await answer(app, 2, 'Which domain or subject?'); // default
    await answer(app, 3, 'Which categories should the examples cover?'); // none: the model proposes them
    await answer(app, 4, 'How many examples?', '12');
    await answer(app, 5, 'What tone should the answers have?');
    await answer(app, 6, 'How long should answers be?');
    await answer(app, 7, 'Formats the answers should use where natural?');
    await answer(app, 8, 'Who asks the questions?', 'shoppers, staff');
    await answer(app, 9, 'How hard should the requests be?');
    await answer(app, 10, 'What share of conversations are multi-turn?', '0%');
    // 0% multi-turn: the max turns question is skipped
    await answer(app, 11, 'Include edge cases?', '', 20);
    await answer(app, 12, 'Include negative examples?', '', 20);
    await answer(app, 13, 'What kind of conversations?', '', 20);
    await answer(app, 14, 'System prompt written into each example?', 'You are a returns assistant.', 20);
    await answer(app, 15, 'Train / validation / test split?', '50/25/25', 20);
    await answer(app, 16, 'Export format?', '', 20);
    await app.waitForText('OPENAI_API_KEY found');
    await answer(app, 17, 'Which provider generates the examples?', '', 20);
    await answer(app, 18, 'Which model?', '', 20);
    await answer(app, 19, 'Budget cap in USD?', '2', 20);
    await answer(app, 20, 'Session name?', 'e2e-session', 20);

    const plan = await app.waitForText('synthloom · Plan e2e-session');
    expect(plan).toContain('12 basic examples of returns support (general)');
    expect(plan).toMatch(/Cost\s+≈\$[\d.]+ at \$0\.4\/\$1\.6 per 1M tokens/);
    expect(plan).toContain('Budget  $2.00 cap');
    expect(plan).toContain('Splits  train 6 · validation 3 · test 3 · format openai');
    expect(e2e.server.stats().requests).toBe(0); // nothing spent before approval

    app.press(KEY.enter); // Approve and start
    const done = await app.waitForText('Run done', 60_000);
    expect(done).toContain('12/12 samples');
    const session = join(cwd, 'datasets', 'e2e-session');
    expect(lines(join(session, 'samples.jsonl'))).toHaveLength(12);
    expect(lines(join(session, 'dataset', 'train.jsonl'))).toHaveLength(6);
    expect(readFileSync(join(session, 'session.yaml'), 'utf8')).not.toContain('sk-test-dummy-key');
    expect(e2e.server.stats().requests).toBeGreaterThanOrEqual(12);

    app.press(KEY.enter); // leave the done screen: back home, where the session is listed
    const home = await app.waitForText('synthloom · Home');
    expect(home).toMatch(/Open e2e-session\s+done · 12\/12/);
    app.press(KEY.ctrlC);
    await app.waitForText('Press Ctrl+C again within 3 s to quit.');
    app.press(KEY.ctrlC);
    expect(await app.exited).toBe(130);
  });

  it('a saved, interrupted session appears on the home screen and can be resumed to the end', async () => {
    const cwd = tempDir('synthloom-e2e-');
    const config = validateConfig({
      name: 'saved-session',
      task: 'customer support',
      domain: 'returns',
      size: 20,
      output_dir: join(cwd, 'datasets'),
      topics: { categories: [{ name: 'Refunds' }, { name: 'Returns' }], depth: 0 },
      provider: { concurrency: 1 },
    });
    const handle = createRun({ config, env: e2e.openaiEnv() });
    handle.events.on((event) => {
      if (event.type === 'sample_accepted') handle.stop(); // interrupted after the first sample
    });
    await handle.start();

    const app = start([], cwd);
    const home = await app.waitForText('Open saved-session');
    const done = Number(/Open saved-session\s+interrupted · (\d+)\/20/.exec(home)?.[1]);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(20);
    app.press(KEY.down);
    await app.waitForText('› Open saved-session'); // one key at a time, as a person types
    app.press(KEY.enter);
    await app.waitForText('synthloom · Session saved-session');
    app.press(KEY.enter); // Resume
    await app.waitForText('Resume and spend?'); // what is left and its cost, for approval
    app.press(KEY.enter);
    await app.waitForText('Run done', 60_000);
    expect(lines(join(cwd, 'datasets', 'saved-session', 'samples.jsonl'))).toHaveLength(20);
    app.press(KEY.enter);
    const back = await app.waitForText(/Open saved-session\s+done · 20\/20/);
    // the run's milestone lines ("· 50% ...", "· run done ...") are not left above Home
    expect(back.split('\n')[0]).toBe('synthloom · Home');
    expect(back).not.toMatch(/^· /m);
    app.kill();
  });

  it('draws the plan cleanly at 80x24 and after resizing to 60x24 and 60x20, exactly as a fresh start at that size', async () => {
    const cwd = tempDir('synthloom-e2e-');
    const config = validateConfig({
      name: 'resize-check',
      task: 'customer support for a bicycle shop with a long task description that needs truncating',
      domain: 'repairs, returns and warranty questions about bicycles and parts',
      size: 40,
      output_dir: './datasets',
    });
    writeFileSync(join(cwd, 'resize.yaml'), configToYaml(config));
    e2e.server.resetStats();

    const app = start(['run', 'resize.yaml'], cwd);
    const at80 = await app.waitForText('Splits  train 32');
    expect(app.screenLines().every((l) => l.length <= 80)).toBe(true);
    expect(countOf(at80, 'synthloom · Plan resize-check')).toBe(1);
    // Narrower first (old lines re-wrap: the case that leaves debris), then shorter.
    for (const [cols, rows] of [
      [60, 24],
      [60, 20],
    ] as const) {
      app.resize(cols, rows);
      const fresh = start(['run', 'resize.yaml'], cwd, { cols, rows });
      await fresh.waitForText('Splits  train 32');
      const expected = nonEmpty(await settled(fresh));
      const resized = nonEmpty(await settled(app, (text) => nonEmpty(text).join('\n') === expected.join('\n')));
      expect(resized).toEqual(expected);
      expect(countOf(resized.join('\n'), 'synthloom · Plan resize-check')).toBe(1);
      expect(countOf(resized.join('\n'), 'Approve and start')).toBe(1);
      expect(app.screenLines().every((l) => l.length <= cols)).toBe(true);
      fresh.kill();
    }
    expect(e2e.server.stats().requests).toBe(0);
  });

  it('honours NO_COLOR: no colour sequences at all, while a normal start has them', async () => {
    const cwd = tempDir('synthloom-e2e-');
    const colour = /\u001B\[(?:3[0-7]|9[0-7]|38;[\d;]+)m/;
    const plain = e2e.spawn([], { cwd, env: { ...e2e.openaiEnv(), NO_COLOR: '1' } });
    await plain.waitForText('synthloom · Home');
    expect(plain.output()).not.toMatch(colour);
    const coloured = start([], cwd);
    await coloured.waitForText('synthloom · Home');
    expect(coloured.output()).toMatch(colour);
  });

  it('`synthloom resume DIR` runs the session to the end and exits with 0', async () => {
    const cwd = tempDir('synthloom-e2e-');
    const config = validateConfig({
      name: 'direct-resume',
      task: 'customer support',
      domain: 'returns',
      size: 6,
      output_dir: join(cwd, 'datasets'),
      topics: { categories: [{ name: 'Refunds' }], depth: 0 },
      provider: { concurrency: 1 },
    });
    const handle = createRun({ config, env: e2e.openaiEnv() });
    handle.events.on((event) => {
      if (event.type === 'sample_accepted') handle.stop();
    });
    await handle.start();
    const app = start(['resume', join('datasets', 'direct-resume')], cwd);
    await app.waitForText('Resume and spend?');
    app.press(KEY.enter);
    await app.waitForText('Run done', 60_000);
    expect(lines(join(cwd, 'datasets', 'direct-resume', 'samples.jsonl'))).toHaveLength(6);
    app.press(KEY.enter);
    expect(await app.exited).toBe(0);
  });

  it('the wizard survives a resize to 60x20 mid-question without debris', async () => {
    const cwd = tempDir('synthloom-e2e-');
    const app = start(['new'], cwd);
    await app.waitForText('step 1 of 21');
    app.type('bicycle repair help desk for a shop with very long names');
    await app.waitForText('> bicycle repair');
    app.resize(60, 24);
    app.resize(60, 20);
    const text = await settled(app, (t) => countOf(t, 'What should the fine-tuned model do?') === 1);
    const screen = nonEmpty(text);
    expect(screen[0]).toMatch(/^synthloom · New dataset\s+step 1 of 21$/);
    expect(countOf(text, 'What should the fine-tuned model do?')).toBe(1);
    expect(countOf(text, 'enter accept · esc back')).toBe(1);
    app.press(KEY.enter);
    await app.waitForText('step 2 of 21');
  });
});

function nonEmpty(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
}

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** The screen once it stops changing (and, if given, once it passes `ready`). */
async function settled(app: PtyApp, ready: (text: string) => boolean = () => true, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const text = await app.waitForText(/./);
    if (text === last && ready(text)) return text;
    if (Date.now() > deadline) return text;
    last = text;
    await new Promise((r) => setTimeout(r, 150));
  }
}
