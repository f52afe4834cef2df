import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { validateConfig } from '../../src/core/config.js';
import { openRun as createRun } from '../../src/index.js';
import { KEY, renderApp, tempDir, type Harness } from './harness.js';

let app: Harness | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

/** A real session made by the engine with the offline demo provider; `finish: false` stops it at once. */
async function makeSession(root: string, name: string, finish: boolean): Promise<string> {
  const config = validateConfig({
    name,
    task: 'customer support',
    domain: 'returns',
    size: 10,
    output_dir: root,
    topics: { categories: [{ name: 'Refunds' }], depth: 0 },
    provider: { name: 'demo', model: 'demo-template-1' },
  });
  const handle = createRun({ config, env: {} });
  const done = handle.start();
  if (!finish) handle.stop();
  await done;
  return handle.dir;
}

async function home(cwd = tempDir()): Promise<Harness> {
  app = renderApp({ route: { screen: 'home' }, origin: 'home', services: { cwd, sessionsRoot: join(cwd, 'datasets') } });
  await app.waitFor('synthloom · Home');
  return app;
}

describe('home screen', () => {
  it('offers a new dataset, the presets with their task, and quit', async () => {
    const a = await home();
    const frame = a.frame();
    expect(frame).toMatch(/› New dataset/);
    expect(frame).toMatch(/0 saved sessions in .*datasets · \d+ presets/);
    expect(frame).toMatch(/Preset customer-support\s+customer support/);
    expect(frame).toMatch(/Preset tool-agent\s+tool-using assistant for travel planning/);
    expect(frame).toContain('Quit');
    expect(frame).toContain('↑↓ move · enter choose · q quit · ? help');
  });

  it('New dataset opens the wizard; Esc on its first question comes back', async () => {
    const a = await home();
    let frame = await a.press(KEY.enter);
    expect(frame).toContain('step 1 of 21');
    frame = await a.press(KEY.esc);
    expect(frame).toContain('synthloom · Home');
  });

  it('a preset opens the wizard prefilled with its answers', async () => {
    const a = await home();
    for (let i = 0; i < 10 && !/› Preset tool-agent/.test(a.frame()); i++) await a.press(KEY.down);
    const frame = await a.press(KEY.enter);
    expect(frame).toContain('Default: tool-using assistant for travel planning');
    expect(frame).toContain('step 1 of 22'); // agent: the tools question is in
    expect(a.store.getState().wizard?.draft.conversation.tools.map((t) => t.function.name)).toEqual(['search_flights', 'get_weather']);
  });

  it('Quit exits with 0', async () => {
    const a = await home();
    for (let i = 0; i < 10 && !/› Quit/.test(a.frame()); i++) await a.press(KEY.up);
    await a.send(KEY.enter);
    expect(a.exits).toEqual([0]);
  });

  it('a first Ctrl+C warns, a second within 3 s quits; after 3 s it only warns again', async () => {
    const a = await home();
    let frame = await a.press(KEY.ctrlC);
    expect(frame).toContain('Press Ctrl+C again within 3 s to quit.');
    a.advanceClock(3500);
    await a.send(KEY.ctrlC);
    expect(a.exits).toEqual([]);
    a.advanceClock(1000);
    await a.send(KEY.ctrlC);
    expect(a.exits).toEqual([130]);
  });

  it('lists saved sessions with status, progress, cost and last change, and opens one', async () => {
    const cwd = tempDir();
    await makeSession(join(cwd, 'datasets'), 'finished-one', true);
    const a = await home(cwd);
    let frame = a.frame();
    expect(frame).toContain('1 saved session in');
    expect(frame).toMatch(/Open finished-one\s+done · 10\/10 · \$0\.00 · /);
    await a.press(KEY.down);
    frame = await a.press(KEY.enter);
    expect(frame).toContain('synthloom · Session finished-one');
    expect(frame).toMatch(/Status\s+done/);
    expect(frame).toMatch(/Progress\s+10\/10 samples/);
    expect(frame).toContain('Complete: the dataset is in');
    frame = await a.press(KEY.esc);
    expect(frame).toContain('synthloom · Home');
  });

  it('resumes an interrupted session to the end and comes back home', async () => {
    const cwd = tempDir();
    const dir = await makeSession(join(cwd, 'datasets'), 'half-done', false);
    const a = await home(cwd);
    const done = Number(/Open half-done\s+interrupted · (\d+)\/10/.exec(a.frame())?.[1]);
    expect(done).toBeLessThan(10);
    await a.press(KEY.down);
    let frame = await a.press(KEY.enter);
    expect(frame).toMatch(new RegExp(`› Resume\\s+fill the ${10 - done} open slots`));
    frame = await a.press(KEY.enter);
    frame = await a.waitFor('Resume and spend?');
    expect(frame).toMatch(new RegExp(`Slots left\\s+${10 - done}`));
    frame = await a.press(KEY.enter);
    frame = await a.waitFor('Run done', 30_000);
    expect(frame).toContain('10/10 samples');
    expect(readFileSync(join(dir, 'samples.jsonl'), 'utf8').trim().split('\n')).toHaveLength(10);
    await a.press(KEY.enter);
    frame = await a.waitFor('synthloom · Home');
    expect(frame).toMatch(/Open half-done\s+done · 10\/10/);
  });

  it('a changed plan fingerprint is shown before resuming, and No leaves it untouched', async () => {
    const cwd = tempDir();
    const dir = await makeSession(join(cwd, 'datasets'), 'changed', false);
    const samples = join(dir, 'samples.jsonl');
    const before = existsSync(samples) ? readFileSync(samples, 'utf8') : '';
    const file = join(dir, 'session.yaml');
    const session = parse(readFileSync(file, 'utf8')) as { config: { tone: string } };
    session.config.tone = 'pirate';
    writeFileSync(file, stringify(session));
    const a = await home(cwd);
    await a.press(KEY.down);
    await a.press(KEY.enter);
    let frame = await a.press(KEY.enter);
    frame = await a.waitFor('Resume under the new plan?');
    expect(frame).toContain('The settings changed since this session');
    expect(frame).toContain('tone');
    frame = await a.press('n');
    expect(frame).toContain('synthloom · Home');
    expect(existsSync(samples) ? readFileSync(samples, 'utf8') : '').toBe(before);
  });
});
