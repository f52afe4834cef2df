/**
 * One process's hold on a session directory: the lock, the append-only files and session.yaml. Opened
 * once per run; nothing else writes to the directory while it is held (dataset/ is export's).
 */
import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type { Config } from '../config.js';
import { DedupAppender } from '../dedup-file.js';
import { UsageError } from '../errors.js';
import { JsonlAppender, writeFileAtomic } from '../files.js';
import { acquireLock, lockIsLive, releaseLock } from '../lock.js';
import { stringifyYamlFinite } from '../yaml-file.js';
import type { Plan } from '../plan.js';
import type { SessionStatus } from '../types.js';
import { checkWritable, emptyStats, FILES, readRecords, readSessionFile, type RemovedRecord, type SessionFile, type SessionRecords } from './files.js';

export class SessionStore {
  readonly samples: JsonlAppender;
  readonly failures: JsonlAppender;
  readonly topics: JsonlAppender;
  readonly removed: JsonlAppender;
  /** The duplicate index's record of each accepted sample (derived data: a resume heals what is missing). */
  readonly dedup: DedupAppender;
  private closed = false;
  private records?: SessionRecords;

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

  /**
   * A new session: refuses a directory that already holds one, except a session that was only planned (a
   * topic preview made it, no sample was asked for): that one is taken over with the new settings, its
   * topic journal and its spend kept.
   */
  static create(dir: string, config: Config, plan: Plan): SessionStore {
    if (existsSync(join(dir, FILES.session)) && !onlyPlanned(dir)) {
      throw new UsageError(`a session already exists in ${dir}: resume it (synthloom resume ${dir}) or choose another name`);
    }
    checkWritable(dir);
    mkdirSync(dir, { recursive: true });
    acquireLock(join(dir, FILES.lock));
    const now = new Date().toISOString();
    const earlier = existsSync(join(dir, FILES.session)) ? readSessionFile(dir) : null;
    const stats = earlier ? { ...earlier.stats, target: config.size } : emptyStats(config.size);
    const store = new SessionStore(dir, { version: 1, name: config.name, status: 'planned', created_at: earlier?.created_at ?? now, updated_at: now, config, stats });
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

  /** Everything the record files held when the run opened them, read once (a torn last line repaired). */
  read(): SessionRecords {
    return (this.records ??= readRecords(this.dir, true));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  save(): void {
    this.session.updated_at = new Date().toISOString();
    // A NaN or Infinity never reaches session.yaml (a resume would lose its budget cap).
    writeFileAtomic(join(this.dir, FILES.session), stringifyYamlFinite(this.session, { lineWidth: 0 }));
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


/** A session that holds a plan and perhaps a topic preview, and no sample request yet. */
function onlyPlanned(dir: string): boolean {
  try {
    const session = readSessionFile(dir);
    const samples = join(dir, FILES.samples);
    return session.status === 'planned' && (!existsSync(samples) || statSync(samples).size === 0) && !lockIsLive(join(dir, FILES.lock));
  } catch {
    return false;
  }
}

/**
 * Removes a sample from a session no process holds (the sample browser after the run ended): takes the
 * lock for the one append, so a run started meanwhile elsewhere is never written under.
 */
export function appendRemoval(dir: string, record: RemovedRecord): void {
  const lock = join(dir, FILES.lock);
  acquireLock(lock);
  try {
    appendFileSync(join(dir, FILES.removed), `${JSON.stringify(record)}\n`);
  } finally {
    releaseLock(lock);
  }
}
