/**
 * Issue 15 (3): the disk fills up, the session directory becomes read-only or is deleted mid-run. The run
 * stops with one line naming the path and the cause, status `interrupted` where session.yaml can still be
 * written, exit 130, the resume command in the reason, no leftover lock, and it resumes once space is back.
 * (A read-only remount is refused while the run holds its files open, and root ignores chmod, so the
 * read-only case is covered by the same code path as ENOSPC/ENOENT, not by its own test.)
 * Uses a real tmpfs (this sandbox runs tests as root); skipped where mounting is refused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createRun } from '../../src/core/run.js';
import { countDone } from '../../src/core/session/files.js';
import { scene, ScriptedProvider, type Scene } from '../core/scripted.js';

let s: Scene;
let mnt: string;
let mounted = false;
function sh(...args: string[]): boolean {
  try {
    execFileSync(args[0]!, args.slice(1), { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canMount = (() => {
  const probe = join('/tmp', `synthloom-mount-probe-${process.pid}`);
  mkdirSync(probe, { recursive: true });
  const ok = sh('mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe) && sh('umount', probe);
  rmSync(probe, { recursive: true, force: true });
  return ok;
})();

beforeEach(() => {
  s = scene();
  mnt = join(s.root, 'mnt');
  mkdirSync(mnt);
});
afterEach(() => {
  if (mounted) sh('umount', '-l', mnt);
  mounted = false;
  s.cleanup();
});

function config(size: number) {
  const c = s.config({ size, topics: { depth: 0 }, provider: { concurrency: 4 } as never });
  c.output_dir = mnt;
  return c;
}

test.skipIf(!canMount)('disk full mid-run: one line naming the path and ENOSPC, exit 130, resumable once space is back', async () => {
  mounted = sh('mount', '-t', 'tmpfs', '-o', 'size=160k', 'tmpfs', mnt);
  expect(mounted).toBe(true);
  const provider = new ScriptedProvider();
  const result = await createRun({ config: config(600), providers: () => provider }).start();
  expect(result.status).toBe('interrupted');
  expect(result.exitCode).toBe(130);
  expect(result.reason).toMatch(/^cannot write \/.*: no space left on device \(ENOSPC\); the run stopped, nothing written was lost; fix it and resume with: synthloom resume \//);
  expect(result.reason).not.toMatch(/\n|    at /);
  const dir = join(mnt, 'scripted');
  expect(readdirSync(dir).filter((n) => n.startsWith('session.lock'))).toEqual([]);
  const before = countDone(dir);
  expect(before).toBeGreaterThan(0);
  expect(before).toBeLessThan(600);
  // Space is back: the resume finishes the run, with every slot once.
  expect(sh('mount', '-o', 'remount,size=64m', mnt)).toBe(true);
  const resumed = await createRun({ resume: true, dir, providers: () => new ScriptedProvider() }).start();
  expect(resumed.done).toBe(countDone(dir));
  expect(countDone(dir)).toBeGreaterThan(before);
  expect(['done', 'incomplete']).toContain(resumed.status);
});

test('the session directory deleted mid-run: the run stops with one line (ENOENT), exit 130, no crash', async () => {
  let n = 0;
  const c = s.config({ size: 200, topics: { depth: 0 }, provider: { concurrency: 4 } as never });
  const dir = join(s.root, 'scripted');
  const provider = new ScriptedProvider((r) => {
    if (r.facts?.stage === 'samples' && ++n === 20) rmSync(dir, { recursive: true, force: true });
    return undefined;
  });
  const result = await createRun({ config: c, providers: () => provider }).start();
  expect(result.exitCode).toBe(130);
  expect(result.status).toBe('interrupted');
  expect(result.reason).toMatch(/^cannot write .*scripted.*: the directory was deleted \(ENOENT\)/);
  expect(existsSync(dir)).toBe(false);
});
