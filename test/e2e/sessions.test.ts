/**
 * Session management from Home in a real terminal: open shows the config summary and failures; delete asks
 * first and removes only that session (a symlink inside it to a folder outside is unlinked, not followed);
 * rename changes the listed name.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { openRun as createRun } from '../../src/index.js';
import { tempDir } from '../ui/harness.js';
import { KEY, type PtyApp } from './pty.js';
import { endToEndSuite } from './suite.js';

const e2e = endToEndSuite();

async function makeSession(cwd: string, name: string): Promise<string> {
  const config = validateConfig({
    name,
    task: 'support',
    domain: 'returns',
    size: 3,
    output_dir: join(cwd, 'datasets'),
    topics: { categories: [{ name: 'Refunds' }], depth: 0 },
    provider: { name: 'demo', model: 'demo-template-1', concurrency: 1 },
  });
  const handle = createRun({ config, env: {} });
  await handle.start();
  return handle.dir;
}

/** Moves down until `label` is highlighted (one key at a time), then Enter. */
async function pick(app: PtyApp, label: string): Promise<void> {
  let text = await app.waitForText(/›/);
  for (let i = 0; i < 12 && !text.includes(`› ${label}`); i++) {
    const before = text;
    app.press(KEY.down);
    // wait until the highlight moved (the screen changed), reading the parsed screen
    for (let t = 0; t < 50 && text === before; t++) {
      await new Promise((r) => setTimeout(r, 30));
      text = await app.waitForText(/›/);
    }
  }
  await app.waitForText(`› ${label}`);
  app.press(KEY.enter);
}

describe('sessions from Home', () => {
  it('open shows the summary; delete asks, then removes only that session and nothing it links to', async () => {
    const cwd = tempDir('synthloom-e2e-sessions-');
    const doomed = await makeSession(cwd, 'doomed');
    await makeSession(cwd, 'kept');
    const outside = join(cwd, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'precious.txt'), 'keep me');
    symlinkSync(outside, join(doomed, 'link-out'));
    writeFileSync(join(doomed, 'failures.jsonl'), `${JSON.stringify({ slot: 's#0', attempt: 1, kind: 'parse', message: 'not JSON at all', at: new Date().toISOString() })}\n`);

    const app = e2e.spawn([], { cwd });
    await app.waitForText('Open doomed');
    await pick(app, 'Open doomed');
    const screen = await app.waitForText('synthloom · Session doomed');
    expect(screen).toMatch(/Task\s+support · returns/);
    expect(screen).toMatch(/Failures\s+parse 1/);
    expect(screen).toContain('parse: not JSON at all');
    await pick(app, 'Delete');
    await app.waitForText('Delete session doomed');
    expect(existsSync(doomed)).toBe(true); // it asks first: nothing removed yet
    await new Promise((r) => setTimeout(r, 200)); // a screen shown is not yet listening: a loaded machine lost the key
    app.press('y');
    await app.waitForText('Deleted doomed');
    await app.waitForText('synthloom · Home');
    expect(app.screenText()).not.toContain('Open doomed');
    expect(existsSync(doomed)).toBe(false);
    expect(readFileSync(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(join(cwd, 'datasets'))).toEqual(['kept']);
    app.kill();
  });

  it('Esc at the delete question keeps the session; rename changes the listed name', async () => {
    const cwd = tempDir('synthloom-e2e-sessions-');
    await makeSession(cwd, 'alpha');
    const app = e2e.spawn([], { cwd });
    await pick(app, 'Open alpha');
    await app.waitForText('synthloom · Session alpha');
    await pick(app, 'Delete');
    await app.waitForText('Delete session alpha');
    await new Promise((r) => setTimeout(r, 200));
    app.press(KEY.esc);
    await app.waitForText('› Rename'); // back at the actions (a done session has no Resume)
    expect(existsSync(join(cwd, 'datasets', 'alpha'))).toBe(true);
    app.press(KEY.enter);
    await app.waitForText('New name for this session:');
    app.press('\u0015'); // Ctrl+U
    await app.waitForText(/^>\s*$/m);
    app.type('beta');
    await app.waitForText('> beta');
    app.press(KEY.enter);
    await app.waitForText('Renamed alpha to beta');
    await app.waitForText(/Open beta\s+done · 3\/3/);
    expect(readdirSync(join(cwd, 'datasets'))).toEqual(['beta']);
    app.kill();
  });
});
