/**
 * One process per session: `session.lock` holds the owner's pid. It appears with its content already
 * written (written to a private file, then hard-linked into place, which fails if a lock exists), so no
 * other process ever reads an empty lock and mistakes it for a crashed one. A lock whose process is gone
 * (a crash, kill -9) is stale and taken over.
 */
import { closeSync, existsSync, linkSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { SessionLockedError } from './errors.js';

interface LockBody {
  pid: number;
  host: string;
  started_at: string;
}

function readLockText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parseLock(text: string | null): LockBody | null {
  if (text === null) return null;
  try {
    const body = JSON.parse(text) as LockBody;
    return typeof body.pid === 'number' ? body : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLive(body: LockBody | null): boolean {
  if (!body) return false;
  if (body.host !== hostname()) return true;
  return body.pid === process.pid || processAlive(body.pid);
}

/** Whether a live process (on this host) holds the lock. A lock from another host is assumed live. */
export function lockIsLive(path: string): boolean {
  return isLive(parseLock(readLockText(path)));
}

/** The pid holding the lock, if a live process does. */
export function lockHolder(path: string): number | null {
  const body = parseLock(readLockText(path));
  return isLive(body) ? body!.pid : null;
}

/** Creates the lock with its content in one step; false if a lock file already exists. */
function createLock(path: string): boolean {
  const body = JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString() });
  const mine = `${path}.${process.pid}`;
  try {
    writeFileSync(mine, body, { mode: 0o644 });
  } catch (err) {
    // A full disk: no session.lock.PID left behind by the failed attempt.
    if (existsSync(mine)) unlinkSync(mine);
    throw err;
  }
  try {
    linkSync(mine, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    return createLockWithoutLinks(path, body);
  } finally {
    unlinkSync(mine);
  }
}

/** For a file system without hard links: exclusive create, then write (a reader may briefly see it empty). */
function createLockWithoutLinks(path: string, body: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
  return true;
}

export function acquireLock(path: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createLock(path)) return;
    const text = readLockText(path);
    const body = parseLock(text);
    if (body && body.pid !== process.pid && isLive(body)) throw new SessionLockedError(dirname(path), body.pid, unrelatedHolderHint(path, body));
    // Stale (dead pid), unreadable, or ours: take it over, unless another process did so meanwhile.
    if (readLockText(path) !== text) continue;
    try {
      unlinkSync(path);
    } catch {
      /* another process took it over first: try again */
    }
  }
  const body = parseLock(readLockText(path));
  throw new SessionLockedError(dirname(path), body?.pid ?? -1);
}

export function releaseLock(path: string): void {
  const body = parseLock(readLockText(path));
  if (body && body.pid === process.pid && body.host === hostname() && existsSync(path)) unlinkSync(path);
}

/**
 * When the lock's pid is alive on this host but is not a synthloom process (the pid was reused after a
 * crash), a hint that says so and how to free the session. Linux only (/proc); elsewhere no hint.
 */
export function unrelatedHolderHint(path: string, body: { pid: number; host: string; started_at?: string }): string | undefined {
  if (body.host !== hostname()) return `the lock was taken on host ${body.host}; if no synthloom runs there on this session, delete ${path}`;
  let command: string;
  try {
    command = readFileSync(`/proc/${body.pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return undefined;
  }
  if (/synthloom|cli\.[cm]?[jt]s/.test(command)) return undefined;
  const shown = command.replace(/[^\x20-\x7e]/g, '?').slice(0, 80) || '(unknown)';
  return `pid ${body.pid} is "${shown}", not synthloom: the process that took the lock is gone and its pid was reused. If no synthloom process uses this session, delete ${path}`;
}
