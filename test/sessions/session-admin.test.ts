/**
 * Rename, duplicate and delete of real sessions (made by a real demo run). Delete asks nothing here (the UI
 * asks); it removes exactly the session: a symlink inside it pointing outside is removed as a link, its
 * target stays; a symlinked session, a path outside the root and a locked session are refused.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { changesSinceApproval } from '../../src/core/run.js';
import { openRun as createRun } from '../../src/index.js';
import { deleteSession, duplicateSession, renameSession, sessionDetails } from '../../src/core/session-admin.js';
import { listSessions, readPlanFile, readSessionFile } from '../../src/core/session/index.js';

async function makeSession(root: string, name: string): Promise<string> {
  const config = validateConfig({
    name,
    task: 'support',
    domain: 'returns',
    size: 4,
    output_dir: root,
    topics: { categories: [{ name: 'A' }, { name: 'B', weight: 2 }], depth: 0 },
    provider: { name: 'demo', model: 'demo-template-1', concurrency: 2 },
  });
  const handle = createRun({ config, env: {} });
  await handle.start();
  return handle.dir;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'synthloom-admin-'));
});

describe('session admin', () => {
  it('rename moves the directory and the name inside; the session still resumes without a plan change', async () => {
    const root = join(work, 'rename');
    const dir = await makeSession(root, 'first');
    const to = renameSession(root, dir, 'second');
    expect(existsSync(dir)).toBe(false);
    expect(readSessionFile(to).name).toBe('second');
    expect(readSessionFile(to).config.name).toBe('second');
    expect(changesSinceApproval(readPlanFile(to), readSessionFile(to).config)).toEqual([]);
    expect(listSessions(root).map((s) => s.name)).toEqual(['second']);
    expect(() => renameSession(root, to, 'bad name')).toThrow(/session name/);
    await makeSession(root, 'third');
    expect(() => renameSession(root, to, 'third')).toThrow(/exists already/);
  });

  it('duplicate copies everything but the lock into a new session', async () => {
    const root = join(work, 'dup');
    const dir = await makeSession(root, 'orig');
    const copy = duplicateSession(root, dir, 'orig-copy');
    expect(readSessionFile(copy).name).toBe('orig-copy');
    expect(readFileSync(join(copy, 'samples.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'samples.jsonl'), 'utf8'));
    expect(readSessionFile(dir).name).toBe('orig');
    expect(listSessions(root).map((s) => s.name).sort()).toEqual(['orig', 'orig-copy']);
    expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([]); // no build folder left
  });

  it('delete removes only that session: a symlink inside to a folder outside is unlinked, its target kept', async () => {
    const root = join(work, 'del');
    const dir = await makeSession(root, 'doomed');
    const keep = await makeSession(root, 'kept');
    const outside = join(work, 'outside-precious');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'precious.txt'), 'do not delete');
    symlinkSync(outside, join(dir, 'link-out'));
    symlinkSync(join(outside, 'precious.txt'), join(dir, 'file-link'));
    deleteSession(root, dir);
    expect(existsSync(dir)).toBe(false);
    expect(readFileSync(join(outside, 'precious.txt'), 'utf8')).toBe('do not delete');
    expect(existsSync(keep)).toBe(true);
    expect(readdirSync(root)).toEqual(['kept']);
  });

  it('delete refuses a symlinked session, a folder outside the root, a non-session and a live session', async () => {
    const root = join(work, 'refuse');
    const dir = await makeSession(root, 'live');
    const elsewhere = await makeSession(join(work, 'elsewhere'), 'other');
    symlinkSync(elsewhere, join(root, 'linked'));
    expect(() => deleteSession(root, join(root, 'linked'))).toThrow(/symbolic link/);
    expect(() => deleteSession(root, elsewhere)).toThrow(/not a session directly under/);
    mkdirSync(join(root, 'plain'));
    expect(() => deleteSession(root, join(root, 'plain'))).toThrow(/not a synthloom session/);
    writeFileSync(join(dir, 'session.lock'), JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
    expect(() => deleteSession(root, dir)).toThrow(/in use/);
    expect(existsSync(join(elsewhere, 'session.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'session.yaml'))).toBe(true);
  });

  it('details: the config summary, failures by kind and the last messages', async () => {
    const root = join(work, 'details');
    const dir = await makeSession(root, 'info');
    const lines = [
      { slot: 'a#0', attempt: 1, kind: 'parse', message: 'not JSON', at: '2026-01-01T00:00:00Z' },
      { slot: 'a#0', attempt: 2, kind: 'parse', message: 'still not JSON', at: '2026-01-01T00:00:01Z' },
      { slot: 'b#0', attempt: 1, kind: 'rate_limit', message: '429 slow down', at: '2026-01-01T00:00:02Z' },
    ];
    writeFileSync(join(dir, 'failures.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const d = sessionDetails(dir, 2);
    expect(d.config.find(([k]) => k === 'Topics')?.[1]).toBe('A, B ×2');
    expect(d.failures).toEqual([{ kind: 'parse', count: 2 }, { kind: 'rate_limit', count: 1 }]);
    expect(d.lastMessages.map((m) => m.message)).toEqual(['still not JSON', '429 slow down']);
  });
});
