/**
 * SPEC 5: the session directory, the durable record of a run. The store owns every file in it except
 * dataset/ (export's). It knows which slots are done, what was spent, and keeps one process per session.
 */
import { accessSync, appendFileSync, constants, existsSync, mkdirSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { validateConfig, type Config } from './config.js';
import { DedupAppender } from './dedup-file.js';
import { UsageError } from './errors.js';
import { countLines, forEachLine, JsonlAppender, lastLine, writeFileAtomic } from './files.js';
import { acquireLock, lockIsLive, releaseLock } from './lock.js';
import type { Plan } from './plan.js';
import type { Failure, FailureKind, Sample, SessionStatus, TokenCounts } from './types.js';
import { MAX_PLAN_BYTES, MAX_SESSION_YAML_BYTES, readYamlMapping } from './yaml-file.js';

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

export interface SessionStats {
  done: number;
  target: number;
  failed_slots: number;
  requests: number;
  topic_requests: number;
  tokens: TokenCounts;
  cost_usd: number;
  failures: Partial<Record<FailureKind, number>>;
  duplicates: number;
  elapsed_s: number;
}

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

export function emptyStats(target: number): SessionStats {
  return { done: 0, target, failed_slots: 0, requests: 0, topic_requests: 0, tokens: { input: 0, output: 0 }, cost_usd: 0, failures: {}, duplicates: 0, elapsed_s: 0 };
}

/** What scanning samples.jsonl found. */
export interface SampleScan {
  doneSlots: Set<string>;
  ids: Set<string>;
  tornLines: number;
  tokens: TokenCounts;
}

function parseSampleHead(line: string): { id: string; slot: string; usage?: { input_tokens: number; output_tokens: number } } | null {
  try {
    const s = JSON.parse(line) as Partial<Sample>;
    if (typeof s.id !== 'string' || typeof s.slot !== 'string' || !Array.isArray(s.messages)) return null;
    return { id: s.id, slot: s.slot, usage: s.usage };
  } catch {
    return null;
  }
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
export function scanSamples(dir: string, repair: boolean): SampleScan {
  const path = join(dir, FILES.samples);
  const removed = new Set(readRemoved(dir).map((r) => r.id));
  const scan: SampleScan = { doneSlots: new Set(), ids: new Set(), tornLines: 0, tokens: { input: 0, output: 0 } };
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
    scan.ids.add(head.id);
    if (head.usage) {
      scan.tokens.input += head.usage.input_tokens ?? 0;
      scan.tokens.output += head.usage.output_tokens ?? 0;
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
  if (!last || parseSampleHead(last.line)) return null;
  return { bytes: Buffer.byteLength(last.line) };
}

/** Accepted samples not removed, counted from samples.jsonl itself (session.yaml's count lags after a crash). */
export function countDone(dir: string): number {
  const lines = countLines(join(dir, FILES.samples));
  const last = lastLine(join(dir, FILES.samples));
  const tornTerminated = last !== null && last.terminated && !parseSampleHead(last.line) ? 1 : 0;
  const removed = new Set(readRemoved(dir).map((r) => r.id)).size;
  return Math.max(0, lines - tornTerminated - removed);
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

/** One process's hold on a session directory: the lock, the append-only files and session.yaml. */
export class SessionStore {
  readonly samples: JsonlAppender;
  readonly failures: JsonlAppender;
  readonly topics: JsonlAppender;
  readonly removed: JsonlAppender;
  /** The duplicate index's record of each accepted sample (derived data: a resume heals what is missing). */
  readonly dedup: DedupAppender;
  private closed = false;

  private constructor(
    readonly dir: string,
    public session: SessionFile,
  ) {
    this.samples = new JsonlAppender(join(dir, FILES.samples));
    this.failures = new JsonlAppender(join(dir, FILES.failures));
    this.topics = new JsonlAppender(join(dir, FILES.topics));
    this.removed = new JsonlAppender(join(dir, FILES.removed));
    this.dedup = new DedupAppender(join(dir, FILES.dedup));
  }

  /** A new session: refuses a directory that already holds one. */
  static create(dir: string, config: Config, plan: Plan): SessionStore {
    if (existsSync(join(dir, FILES.session))) {
      throw new UsageError(`a session already exists in ${dir}: resume it (synthloom resume ${dir}) or choose another name`);
    }
    checkWritable(dir);
    mkdirSync(dir, { recursive: true });
    acquireLock(join(dir, FILES.lock));
    const now = new Date().toISOString();
    const store = new SessionStore(dir, { version: 1, name: config.name, status: 'planned', created_at: now, updated_at: now, config, stats: emptyStats(config.size) });
    store.savePlan(plan);
    store.save();
    return store;
  }

  /** An existing session, locked for this process. */
  static open(dir: string): SessionStore {
    const session = readSessionFile(dir);
    acquireLock(join(dir, FILES.lock));
    return new SessionStore(dir, session);
  }

  save(): void {
    this.session.updated_at = new Date().toISOString();
    writeFileAtomic(join(this.dir, FILES.session), stringifyYaml(this.session, { lineWidth: 0 }));
  }

  setStatus(status: SessionStatus, reason?: string): void {
    this.session.status = status;
    if (reason) this.session.reason = reason;
    else delete this.session.reason;
    this.save();
  }

  savePlan(plan: Plan): void {
    writeFileAtomic(join(this.dir, FILES.plan), stringifyYaml(plan, { lineWidth: 0, aliasDuplicateObjects: false }));
  }

  sync(): void {
    this.samples.sync();
    this.failures.sync();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of [this.samples, this.failures, this.topics, this.removed, this.dedup]) f.close();
    releaseLock(join(this.dir, FILES.lock));
  }
}

export interface SessionInfo {
  dir: string;
  name: string;
  status: SessionStatus;
  done: number;
  target: number;
  failedSlots: number;
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
      }
      out.push({
        dir,
        name: s.name,
        status,
        done,
        target: s.stats.target,
        failedSlots: s.stats.failed_slots,
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
