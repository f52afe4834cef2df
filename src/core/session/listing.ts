/**
 * Sessions under a folder, for `synthloom sessions` and the home screen: read from session.yaml, with the
 * done count of a killed run taken from samples.jsonl.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lockIsLive } from '../lock.js';
import type { SessionStatus } from '../types.js';
import { countDone, FILES, readSessionFile } from './files.js';

export interface SessionInfo {
  dir: string;
  name: string;
  status: SessionStatus;
  done: number;
  target: number;
  /** Slots whose retries are exhausted. */
  failedSlots: number;
  /** Slots without a sample (target - done), whatever the reason. */
  unfilled: number;
  costUsd: number;
  updatedAt: string;
  provider: string;
  model: string;
  /** Why the session stopped, when it did (`reason` in session.yaml; for an interrupted one, the crash). */
  reason?: string;
}

/** Statuses a process writes while it works on the session; with no live lock they mean it died. */
const LIVE_STATUSES: ReadonlySet<SessionStatus> = new Set(['expanding', 'running', 'paused']);

/**
 * Sessions directly under `root`, newest change first. A `running` session whose lock is dead is
 * `interrupted` (its process was killed), and its done count is taken from samples.jsonl, since
 * session.yaml is saved only every few seconds.
 */
export function listSessions(root: string): SessionInfo[] {
  if (!existsSync(root)) return [];
  const out: SessionInfo[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    if (!existsSync(join(dir, FILES.session))) continue;
    try {
      const s = readSessionFile(dir);
      let status = s.status;
      let done = s.stats.done;
      let reason = s.reason;
      if (LIVE_STATUSES.has(status) && !lockIsLive(join(dir, FILES.lock))) {
        status = 'interrupted';
        done = countDone(dir);
        reason = 'the process ended without stopping the run (killed or crashed); resume to continue';
      } else if (!LIVE_STATUSES.has(status) && hasRemovals(dir)) {
        // session.yaml's count was saved when the run ended; a sample deleted since (the sample browser)
        // is not in it, so count what the export would take.
        done = countDone(dir);
      }
      out.push({
        dir,
        name: s.name,
        status,
        done,
        target: s.stats.target,
        failedSlots: s.stats.failed_slots,
        unfilled: Math.max(0, s.stats.target - done),
        costUsd: s.stats.cost_usd,
        updatedAt: s.updated_at,
        provider: s.config.provider.name,
        model: s.config.provider.model,
        ...(reason ? { reason } : {}),
      });
    } catch {
      /* a broken session is skipped here; opening it names the problem */
    }
  }
  return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

function hasRemovals(dir: string): boolean {
  try {
    return statSync(join(dir, FILES.removed)).size > 0;
  } catch {
    return false;
  }
}
