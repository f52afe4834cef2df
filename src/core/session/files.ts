/**
 * SPEC 5: the session directory's files and how each is read. Readers are pure functions of the directory;
 * a run reads each file once, through Session (store.ts), and keeps what it read.
 */
import { accessSync, appendFileSync, constants, existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateConfig, type Config } from '../config.js';
import { UsageError } from '../errors.js';
import { countLines, forEachLine, lastLine } from '../files.js';
import { toSample } from '../export/session.js';
import type { SessionStats } from '../ledger.js';
import type { Plan } from '../plan.js';
import { checkedUsage, emptyStats } from '../ledger.js';
import type { Failure, Sample, SessionStatus, TokenCounts } from '../types.js';

export { emptyStats, type SessionStats } from '../ledger.js';
import { MAX_PLAN_BYTES, MAX_SESSION_YAML_BYTES, readYamlMapping } from '../yaml-file.js';

export const FILES = {
  session: 'session.yaml',
  plan: 'plan.yaml',
  samples: 'samples.jsonl',
  failures: 'failures.jsonl',
  topics: 'topics.jsonl',
  removed: 'removed.jsonl',
  dedup: 'dedup.bin',
  torn: 'samples.jsonl.torn',
  lock: 'session.lock',
  dataset: 'dataset',
} as const;

export interface SessionFile {
  version: 1;
  name: string;
  status: SessionStatus;
  reason?: string;
  created_at: string;
  updated_at: string;
  config: Config;
  stats: SessionStats;
}

export interface TopicRecord {
  id: string;
  /** topicKey of the inputs the node was expanded from; a record whose key differs is not reused. */
  key?: string;
  path: string[];
  children: string[];
  usage: { input_tokens: number; output_tokens: number };
  cost_usd?: number | null;
  at: string;
}

export interface RemovedRecord {
  id: string;
  slot: string;
  at: string;
  reason: string;
}

/** What scanning samples.jsonl found. */
export interface SampleScan {
  doneSlots: Set<string>;
  ids: Set<string>;
  tornLines: number;
  /** Usage of the sample lines, where it is two non-negative whole numbers. */
  tokens: TokenCounts;
  /** Sample lines whose usage was not (hand-edited, or from a server that lied): not counted. */
  badUsage: number;
  /** Whole JSON lines that are not samples (hand edits): not done, not exported. */
  wrongShape: number;
}

/**
 * One samples.jsonl line: null when it is not JSON (torn by a crash); `shape: false` when it is JSON but not
 * a sample the export would take (the export's own `toSample` check), so it never counts as done either.
 */
function parseSampleHead(line: string): { id: string; slot: string; usage?: unknown; shape: true } | { shape: false } | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const s = toSample(value);
  if (!s) return { shape: false };
  return { id: s.id, slot: s.slot, usage: (value as Partial<Sample>).usage, shape: true };
}

export function readRemoved(dir: string): RemovedRecord[] {
  const out: RemovedRecord[] = [];
  forEachLine(join(dir, FILES.removed), ({ line }) => {
    try {
      const r = JSON.parse(line) as RemovedRecord;
      if (typeof r.id === 'string') out.push(r);
    } catch {
      /* a torn tombstone is ignored: the sample simply stays */
    }
  });
  return out;
}

/**
 * Scans samples.jsonl. An invalid last line (torn by a crash) is moved to samples.jsonl.torn and cut off
 * when `repair` is set; an invalid line elsewhere is an error, since appends cannot produce one. A whole
 * sample that lost only its newline is kept (and given its newline).
 */
export function scanSamples(dir: string, repair: boolean, removedRecords: RemovedRecord[] = readRemoved(dir)): SampleScan {
  const path = join(dir, FILES.samples);
  const removed = new Set(removedRecords.map((r) => r.id));
  const scan: SampleScan = { doneSlots: new Set(), ids: new Set(), tornLines: 0, tokens: { input: 0, output: 0 }, badUsage: 0, wrongShape: 0 };
  let bad: { line: string; offset: number; number: number } | null = null;
  let unterminated = false;
  forEachLine(path, ({ line, offset, number, terminated }) => {
    if (bad) throw new UsageError(`${path}: line ${bad.number} is not a valid sample, and it is not the last line; the file was edited by hand?`);
    const head = parseSampleHead(line);
    if (!head) {
      bad = { line, offset, number };
      return;
    }
    unterminated = !terminated;
    if (!head.shape) {
      scan.wrongShape++; // whole JSON, not a sample: skipped here as the export skips it
      return;
    }
    scan.ids.add(head.id);
    if (head.usage !== undefined) {
      const checked = checkedUsage(head.usage);
      if (checked.problem) scan.badUsage++;
      scan.tokens.input += checked.usage.input_tokens;
      scan.tokens.output += checked.usage.output_tokens;
    }
    if (!removed.has(head.id)) scan.doneSlots.add(head.slot);
  });
  if (bad !== null) {
    const torn = bad as { line: string; offset: number; number: number };
    scan.tornLines = 1;
    if (repair) {
      appendFileSync(join(dir, FILES.torn), `${torn.line}\n`);
      truncateSync(path, torn.offset);
    }
  } else if (unterminated && repair) {
    appendFileSync(path, '\n');
  }
  return scan;
}

/**
 * The torn or invalid last line of samples.jsonl that `scanSamples(dir, true)` would move aside, found by
 * reading the file backwards (cheap on a large session). Null when the file ends with a whole sample.
 */
export function findTornTail(dir: string): { bytes: number } | null {
  const last = lastLine(join(dir, FILES.samples));
  if (!last || parseSampleHead(last.line) !== null) return null;
  return { bytes: Buffer.byteLength(last.line) };
}

/**
 * Slots filled (distinct, not removed, by lines the export takes), counted from samples.jsonl itself
 * (session.yaml's count lags after a crash): the same figure as the export's row count, so a duplicate-slot
 * line never makes 201 for 200 and a line of the wrong shape never counts.
 */
export function countDone(dir: string): number {
  try {
    return scanSamples(dir, false).doneSlots.size;
  } catch {
    // A file that does not scan (a bad line in the middle): the line count, as a rough figure for listings.
    const lines = countLines(join(dir, FILES.samples));
    const removed = new Set(readRemoved(dir).map((r) => r.id)).size;
    return Math.max(0, lines - removed);
  }
}

export function readSessionFile(dir: string): SessionFile {
  const path = join(dir, FILES.session);
  if (!existsSync(path)) throw new UsageError(`${dir} is not a synthloom session (no ${FILES.session})`);
  const raw = readYamlMapping(path, MAX_SESSION_YAML_BYTES, 'session file') as Partial<SessionFile>;
  if (raw.version !== 1) throw new UsageError(`${path}: not a version 1 session file`);
  const config = validateConfig(raw.config, `${path} (config)`);
  return { ...(raw as SessionFile), config, stats: { ...emptyStats(config.size), ...(raw.stats ?? {}) } };
}

export function readPlanFile(dir: string): Plan {
  const path = join(dir, FILES.plan);
  if (!existsSync(path)) throw new UsageError(`${dir}: no ${FILES.plan}; the session was never approved`);
  return readYamlMapping(path, MAX_PLAN_BYTES, 'plan file') as unknown as Plan;
}

export function readTopicRecords(dir: string): Map<string, TopicRecord> {
  const map = new Map<string, TopicRecord>();
  forEachLine(join(dir, FILES.topics), ({ line, terminated }) => {
    if (!terminated) return;
    try {
      const r = JSON.parse(line) as TopicRecord;
      map.set(r.id, r);
    } catch {
      /* torn line: that node is expanded again */
    }
  });
  return map;
}

/** Failure lines; with `lastBySlot` the latest failure of each slot. */
export function readFailures(dir: string): Failure[] {
  const out: Failure[] = [];
  forEachLine(join(dir, FILES.failures), ({ line, terminated }) => {
    if (!terminated) return;
    try {
      out.push(JSON.parse(line) as Failure);
    } catch {
      /* skip a torn line */
    }
  });
  return out;
}

/** Accepted samples that were not removed, in the order they were accepted. */
export function readSamples(dir: string): Sample[] {
  const removed = new Set(readRemoved(dir).map((r) => r.id));
  const out: Sample[] = [];
  forEachLine(join(dir, FILES.samples), ({ line, terminated }) => {
    if (!terminated) return;
    try {
      const s = JSON.parse(line) as Sample;
      if (!removed.has(s.id)) out.push(s);
    } catch {
      /* torn last line: reported and repaired on resume */
    }
  });
  return out;
}

/** Makes sure `dir` can be created and written, before anything is written. */
export function checkWritable(dir: string): void {
  let probe = resolve(dir);
  while (!existsSync(probe)) {
    const parent = dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  try {
    if (!statSync(probe).isDirectory()) throw new UsageError(`output_dir: ${probe} is a file, not a directory`);
    accessSync(probe, constants.W_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`output_dir: cannot write to ${probe} (permission denied)`);
  }
}


/** What a run needs from the record files, read once when it opens the session. */
export interface SessionRecords {
  scan: SampleScan;
  failures: Failure[];
  topics: Map<string, TopicRecord>;
  removed: RemovedRecord[];
}

/** Reads every record file once; `repair` moves a torn last sample line aside (see scanSamples). */
export function readRecords(dir: string, repair: boolean): SessionRecords {
  const removed = readRemoved(dir);
  return { removed, scan: scanSamples(dir, repair, removed), failures: readFailures(dir), topics: readTopicRecords(dir) };
}
