/**
 * `synthloom sessions` as a report: every directory under the root that holds a session.yaml is listed,
 * those that cannot be opened with the one-line problem (a bad value saved in session.yaml, a damaged file)
 * instead of being skipped; each readable one with the state of its export (dataset/ current, stale or
 * missing). Listing never stops at a broken session.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from './errors.js';
import { datasetState, type DatasetState } from './export/manifest.js';
import { FILES, listSessions, readSessionFile, type SessionInfo } from './session/index.js';

export interface ListedSession extends SessionInfo {
  dataset: DatasetState;
}

export interface BrokenSession {
  dir: string;
  problem: string;
}

export function listSessionsReport(root: string): { sessions: ListedSession[]; broken: BrokenSession[] } {
  const sessions = listSessions(root).map((s) => ({ ...s, dataset: safeState(s.dir) }));
  const listed = new Set(sessions.map((s) => s.dir));
  const broken: BrokenSession[] = [];
  if (existsSync(root)) {
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const dir = join(root, entry.name);
      if (!entry.isDirectory() || listed.has(dir) || !existsSync(join(dir, FILES.session))) continue;
      try {
        readSessionFile(dir);
        broken.push({ dir, problem: 'could not be listed' });
      } catch (err) {
        broken.push({ dir, problem: errorMessage(err) });
      }
    }
  }
  return { sessions, broken: broken.sort((a, b) => a.dir.localeCompare(b.dir)) };
}

function safeState(dir: string): DatasetState {
  try {
    return datasetState(dir);
  } catch {
    return 'stale';
  }
}
