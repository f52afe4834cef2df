/**
 * The batch journal, `batches.jsonl` in the session: append-only, one JSON record a line, written before
 * and after every step that talks to the provider, so that a resume after kill -9 knows exactly which
 * batches exist and submits nothing twice.
 *
 *   submitting {chunk, provider, model, lines: [{custom_id, slots}]}   fsynced BEFORE the submission
 *   submitted  {chunk, batch_id, recovered?}                            fsynced right after it returns
 *   polled     {batch_id, state, status, counts}                        when a poll sees a change
 *   ended      {batch_id, state, status, counts}                        the provider will not change it any more
 *   collected  {batch_id, answered, failed}                             every result line was handed to the run
 *   abandoned  {chunk, reason}                                          a `submitting` that never became a batch
 *   cancel     {batch_id}                                               a cancel was asked of the provider
 *
 * A torn last line (a kill in the middle of a write) is dropped by the reader: a torn `submitting` means the
 * submission never started (it is only made after the record is on disk); a torn `submitted` leaves the
 * chunk unconfirmed, and rediscover() finds its batch again through the provider's list.
 */
import { join } from 'node:path';
import { forEachLine, JsonlAppender } from '../files.js';
import type { BatchCounts, BatchState, BatchStatus } from './types.js';

export const JOURNAL_FILE = 'batches.jsonl';

export interface JournalLine {
  custom_id: string;
  slots: string[];
}

export type JournalRecord =
  | { type: 'submitting'; at: string; chunk: string; provider: string; model: string; lines: JournalLine[] }
  | { type: 'submitted'; at: string; chunk: string; batch_id: string; recovered?: boolean }
  | { type: 'polled'; at: string; batch_id: string; state: BatchState; status: string; counts: BatchCounts }
  | { type: 'ended'; at: string; batch_id: string; state: BatchState; status: string; counts: BatchCounts }
  | { type: 'collected'; at: string; batch_id: string; answered: number; failed: number }
  | { type: 'abandoned'; at: string; chunk: string; reason: string }
  | { type: 'cancel'; at: string; batch_id: string };

export class BatchJournal {
  private readonly file: JsonlAppender;

  constructor(readonly path: string) {
    this.file = new JsonlAppender(path);
  }

  static inSession(sessionDir: string): BatchJournal {
    return new BatchJournal(join(sessionDir, JOURNAL_FILE));
  }

  /** Before a submission: on disk (fsynced) before the provider is called. */
  submitting(chunk: string, provider: string, model: string, lines: readonly JournalLine[]): JournalRecord {
    return this.write({ type: 'submitting', at: now(), chunk, provider, model, lines: lines.map((l) => ({ custom_id: l.custom_id, slots: [...l.slots] })) }, true);
  }

  submitted(chunk: string, batchId: string, recovered = false): JournalRecord {
    return this.write({ type: 'submitted', at: now(), chunk, batch_id: batchId, ...(recovered ? { recovered: true } : {}) }, true);
  }

  polled(status: BatchStatus): JournalRecord {
    return this.write({ type: 'polled', at: now(), batch_id: status.batchId, state: status.state, status: status.providerStatus, counts: status.counts }, false);
  }

  ended(status: BatchStatus): JournalRecord {
    return this.write({ type: 'ended', at: now(), batch_id: status.batchId, state: status.state, status: status.providerStatus, counts: status.counts }, true);
  }

  collected(batchId: string, answered: number, failed: number): JournalRecord {
    return this.write({ type: 'collected', at: now(), batch_id: batchId, answered, failed }, true);
  }

  abandoned(chunk: string, reason: string): JournalRecord {
    return this.write({ type: 'abandoned', at: now(), chunk, reason }, true);
  }

  cancelRequested(batchId: string): JournalRecord {
    return this.write({ type: 'cancel', at: now(), batch_id: batchId }, true);
  }

  close(): void {
    this.file.close();
  }

  /** Appends a record (fsynced when `durable`) and returns it, for applyRecord() on the caller's state. */
  private write(record: JournalRecord, durable: boolean): JournalRecord {
    this.file.append(record);
    if (durable) this.file.sync();
    return record;
  }
}

function now(): string {
  return new Date().toISOString();
}

/** What the journal says about one chunk. */
export interface ChunkState {
  chunk: string;
  provider: string;
  model: string;
  lines: Array<{ customId: string; slots: string[] }>;
  /** ms since the epoch of the `submitting` record. */
  submittingAt: number;
  batchId?: string;
  recovered: boolean;
  /** The last state a poll journaled. */
  state?: BatchState;
  providerStatus?: string;
  counts?: BatchCounts;
  ended: boolean;
  collected: boolean;
  abandoned: boolean;
  cancelRequested: boolean;
}

export interface JournalState {
  chunks: ChunkState[];
  byChunk: Map<string, ChunkState>;
  byBatch: Map<string, ChunkState>;
  /** Every custom_id ever journaled for submission: a new line must not reuse one. */
  usedCustomIds: Set<string>;
  /** How many times each slot was journaled for submission (the next custom_id's submission number is this + 1). */
  submissions: Map<string, number>;
  /** Lines that could not be read (a torn last line, or a fragment a crash left mid-file). */
  droppedLines: number;
}

/** `submitting` without a batch id and not abandoned: the submission may or may not have reached the provider. */
export function unconfirmed(state: JournalState): ChunkState[] {
  return state.chunks.filter((c) => c.batchId === undefined && !c.abandoned);
}

/** Batches whose results are not all collected yet: to poll, then to collect. */
export function openBatches(state: JournalState): ChunkState[] {
  return state.chunks.filter((c) => c.batchId !== undefined && !c.collected);
}

/** Slots in a batch that is (or may be) live at the provider: never put them in another batch. */
export function slotsInFlight(state: JournalState): Set<string> {
  const out = new Set<string>();
  for (const c of state.chunks) {
    if (c.abandoned || c.collected) continue;
    for (const line of c.lines) for (const slot of line.slots) out.add(slot);
  }
  return out;
}

/** The next chunk name: c0001, c0002, ... after the highest in the journal. */
export function nextChunkName(state: JournalState): string {
  let max = 0;
  for (const c of state.chunks) {
    const n = /^c(\d+)$/.exec(c.chunk)?.[1];
    if (n) max = Math.max(max, Number(n));
  }
  return `c${String(max + 1).padStart(4, '0')}`;
}

export function emptyJournalState(): JournalState {
  return { chunks: [], byChunk: new Map(), byBatch: new Map(), usedCustomIds: new Set(), submissions: new Map(), droppedLines: 0 };
}

export function readJournal(path: string): JournalState {
  const state = emptyJournalState();
  forEachLine(path, ({ line }) => {
    if (!line.trim()) return;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      state.droppedLines++;
      return;
    }
    if (!record || typeof record !== 'object' || typeof record.type !== 'string') {
      state.droppedLines++;
      return;
    }
    applyRecord(state, record);
  });
  return state;
}

export function readSessionJournal(sessionDir: string): JournalState {
  return readJournal(join(sessionDir, JOURNAL_FILE));
}

/** Folds one record into `state`: the reader's step, and how a writer keeps its in-memory state current. */
export function applyRecord(state: JournalState, r: JournalRecord): void {
  if (r.type === 'submitting') {
    if (state.byChunk.has(r.chunk)) return; // a chunk name is written once; a repeat is ignored
    const chunk: ChunkState = {
      chunk: r.chunk,
      provider: r.provider,
      model: r.model,
      lines: r.lines.map((l) => ({ customId: l.custom_id, slots: l.slots })),
      submittingAt: Date.parse(r.at),
      recovered: false,
      ended: false,
      collected: false,
      abandoned: false,
      cancelRequested: false,
    };
    state.chunks.push(chunk);
    state.byChunk.set(r.chunk, chunk);
    for (const line of chunk.lines) {
      state.usedCustomIds.add(line.customId);
      for (const slot of line.slots) state.submissions.set(slot, (state.submissions.get(slot) ?? 0) + 1);
    }
    return;
  }
  if (r.type === 'submitted') {
    const chunk = state.byChunk.get(r.chunk);
    if (!chunk || chunk.batchId !== undefined) return;
    chunk.batchId = r.batch_id;
    chunk.recovered = r.recovered === true;
    chunk.abandoned = false;
    state.byBatch.set(r.batch_id, chunk);
    return;
  }
  if (r.type === 'abandoned') {
    const chunk = state.byChunk.get(r.chunk);
    if (chunk && chunk.batchId === undefined) chunk.abandoned = true;
    return;
  }
  const chunk = state.byBatch.get(r.batch_id);
  if (!chunk) return;
  if (r.type === 'polled' || r.type === 'ended') {
    chunk.state = r.state;
    chunk.providerStatus = r.status;
    chunk.counts = r.counts;
    if (r.type === 'ended') chunk.ended = true;
  } else if (r.type === 'collected') {
    chunk.collected = true;
  } else if (r.type === 'cancel') {
    chunk.cancelRequested = true;
  }
}
