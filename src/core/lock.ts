/**
 * One process per session: `session.lock` is created exclusively and holds the owner's pid. A lock whose
 * process is gone (a crash, kill -9) is stale and taken over.
 */
import { existsSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { SessionLockedError } from './errors.js';

interface LockBody {
  pid: number;
  host: string;
  started_at: string;
}

function readLock(path: string): LockBody | null {
  try {
    const body = JSON.parse(readFileSync(path, 'utf8')) as LockBody;
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

/** Whether a live process (on this host) holds the lock. A lock from another host is assumed live. */
export function lockIsLive(path: string): boolean {
  const body = readLock(path);
  if (!body) return false;
  if (body.host !== hostname()) return true;
  return body.pid === process.pid || processAlive(body.pid);
}

export function acquireLock(path: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString() }));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const body = readLock(path);
      if (body && body.pid !== process.pid && lockIsLive(path)) throw new SessionLockedError(dirname(path), body.pid);
      // Stale (dead pid), unreadable (torn by a crash while being written), or ours: take it over.
      try {
        unlinkSync(path);
      } catch {
        /* another process took it over first: try again */
      }
    }
  }
  const body = readLock(path);
  throw new SessionLockedError(dirname(path), body?.pid ?? -1);
}

export function releaseLock(path: string): void {
  const body = readLock(path);
  if (body && body.pid === process.pid && existsSync(path)) unlinkSync(path);
}
