/**
 * Issue 3 acceptance: one process at a time per session. A second process gets exit 2 and the holder's
 * pid; a lock left by a dead process is taken over; a lock held by a live one is respected.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { acquireLock, lockHolder, lockIsLive, releaseLock } from '../../src/core/lock.js';
import type { Sample } from '../../src/core/types.js';
import { jsonLines, runCli, runToEnd, sessionSuite, until, writeConfig } from './helpers.js';

const suite = sessionSuite('lock', { seed: 31 });

/** A pid that certainly belongs to no process any more: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(dir: string, pid: number, host = hostname()): void {
  writeFileSync(join(dir, 'session.lock'), JSON.stringify({ pid, host, started_at: new Date().toISOString() }));
}

test('a second process on a running session exits 2 naming the holder pid; after the holder is killed its stale lock is taken over', async () => {
  const env = suite.env();
  const configPath = writeConfig({ name: 'locked', outputDir: suite.dir, size: 10, concurrency: 2 });
  const dir = join(suite.dir, 'locked');
  suite.server.setKnobs({ timeoutRate: 1 }); // every request hangs: the holder stays busy
  const holder = runCli(['run', configPath, '--yes', '--plain'], env);
  try {
    await until(() => suite.server.stats().inFlight >= 1, 'the holder to have a request in flight');
    expect(JSON.parse(readFileSync(join(dir, 'session.lock'), 'utf8'))).toMatchObject({ pid: holder.pid, host: hostname() });

    const second = await runToEnd(['resume', dir, '--yes', '--plain'], env);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`pid ${holder.pid}`);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    const again = await runToEnd(['run', configPath, '--yes', '--plain'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  } finally {
    holder.child.kill('SIGKILL');
    await holder.exited;
    suite.server.setKnobs({ timeoutRate: 0 });
  }
  // The holder died without releasing its lock: the next resume takes it over and finishes.
  expect(JSON.parse(readFileSync(join(dir, 'session.lock'), 'utf8')).pid).toBe(holder.pid);
  const resumed = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(jsonLines<Sample>(join(dir, 'samples.jsonl'))).toHaveLength(10);
  expect(existsSync(join(dir, 'session.lock'))).toBe(false);

  // A lock naming a dead pid is stale; one naming a live process (this test's) is not, nor one from another host.
  writeLock(dir, deadPid());
  const stale = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(stale.code, stale.stderr).toBe(0);
  expect(existsSync(join(dir, 'session.lock'))).toBe(false);
  writeLock(dir, process.pid);
  const live = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(live.code).toBe(2);
  expect(live.stderr).toContain(`pid ${process.pid}`);
  writeLock(dir, deadPid(), 'another-host.example');
  const remote = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(remote.code).toBe(2);
});

test('acquireLock: exclusive, taken over when stale or unreadable, released only by its owner', () => {
  const path = join(suite.dir, 'unit.lock');
  writeFileSync(path, ''); // torn while being written by a crashed process
  expect(lockIsLive(path)).toBe(false);
  acquireLock(path);
  expect(lockHolder(path)).toBe(process.pid);
  acquireLock(path); // the same process may reopen its own session
  releaseLock(path);
  expect(existsSync(path)).toBe(false);

  writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), started_at: '2020-01-01T00:00:00Z' }));
  expect(lockIsLive(path)).toBe(false);
  expect(lockHolder(path)).toBeNull();
  acquireLock(path);
  expect(lockHolder(path)).toBe(process.pid);
  expect(existsSync(`${path}.${process.pid}`)).toBe(false); // no private file left behind
  releaseLock(path);

  // A lock another live process holds is neither taken nor released.
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  writeFileSync(path, JSON.stringify({ pid: other.pid, host: hostname(), started_at: new Date().toISOString() }));
  try {
    expect(() => acquireLock(path)).toThrow(new RegExp(`pid ${other.pid}`));
    releaseLock(path);
    expect(existsSync(path)).toBe(true);
  } finally {
    other.kill('SIGKILL');
  }
});
