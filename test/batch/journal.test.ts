import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectBatch } from '../../src/core/batch/collect.js';
import {
  BatchJournal,
  nextChunkName,
  openBatches,
  readJournal,
  slotsInFlight,
  unconfirmed,
  type JournalState,
} from '../../src/core/batch/journal.js';
import { matchUnconfirmed, rediscover } from '../../src/core/batch/rediscover.js';
import { submitPending, type PendingRequest } from '../../src/core/batch/submit.js';
import type { BatchStatus, BatchSummary } from '../../src/core/batch/types.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { examplesRequest } from '../server/fixtures.js';
import { client, PROVIDERS, untilFinished } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'synthloom-batch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const status = (batchId: string, state: BatchStatus['state'], succeeded: number): BatchStatus => ({
  batchId,
  state,
  providerStatus: state === 'ended' ? 'completed' : 'in_progress',
  counts: { total: 2, succeeded, errored: 0, expired: 0, canceled: 0 },
  createdAt: 0,
});

/** A journal with every record kind; returns the byte offset at the end of each record. */
function writeFullJournal(path: string): number[] {
  const j = new BatchJournal(path);
  const ends: number[] = [];
  const mark = () => ends.push(statSync(path).size);
  j.submitting('c0001', 'openai', 'gpt-4.1-mini', [{ custom_id: 't0-1_r0', slots: ['t0-1_r0'] }, { custom_id: 't0-1_r1', slots: ['t0-1_r1'] }]);
  mark();
  j.submitted('c0001', 'batch_1');
  mark();
  j.polled(status('batch_1', 'in_progress', 1));
  mark();
  j.ended(status('batch_1', 'ended', 2));
  mark();
  j.collected('batch_1', 2, 0);
  mark();
  j.submitting('c0002', 'openai', 'gpt-4.1-mini', [{ custom_id: 't0-1_r2__x2', slots: ['t0-1_r2'] }]);
  mark();
  j.submitted('c0002', 'batch_2');
  mark();
  j.close();
  return ends;
}

describe('the batch journal', () => {
  it('reconstructs every chunk, batch id, state and the custom_ids used', () => {
    const path = join(dir, 'batches.jsonl');
    writeFullJournal(path);
    const state = readJournal(path);
    expect(state.droppedLines).toBe(0);
    expect(state.chunks.map((c) => [c.chunk, c.batchId, c.collected])).toEqual([
      ['c0001', 'batch_1', true],
      ['c0002', 'batch_2', false],
    ]);
    expect(state.byBatch.get('batch_1')).toMatchObject({ ended: true, state: 'ended', counts: { succeeded: 2 } });
    expect([...state.usedCustomIds]).toEqual(['t0-1_r0', 't0-1_r1', 't0-1_r2__x2']);
    expect(openBatches(state).map((c) => c.batchId)).toEqual(['batch_2']);
    expect([...slotsInFlight(state)]).toEqual(['t0-1_r2']);
    expect(nextChunkName(state)).toBe('c0003');
    for (const line of readFileSync(path, 'utf8').trim().split('\n')) expect(JSON.parse(line).type).toBeTypeOf('string');
  });

  it('after a kill at every byte of every record: drops only the torn line and keeps the rest consistent', () => {
    const path = join(dir, 'full.jsonl');
    const ends = writeFullJournal(path);
    const full = readFileSync(path);
    const cuts = new Set<number>([0]);
    let start = 0;
    for (const end of ends) {
      for (const at of [start + 1, Math.floor((start + end) / 2), end - 1, end]) cuts.add(at);
      start = end;
    }
    const copy = join(dir, 'cut.jsonl');
    for (const cut of cuts) {
      writeFileSync(copy, full.subarray(0, cut));
      const state = readJournal(copy);
      const whole = ends.filter((e) => e <= cut).length;
      const torn = cut > 0 && !ends.includes(cut) ? 1 : 0;
      // The newline is the record's last byte: a record missing only its newline still parses; count it whole.
      const tornParsed = torn && full[cut] === 10;
      expect(state.droppedLines, `cut at ${cut}`).toBe(tornParsed ? 0 : torn);
      const records = whole + (tornParsed ? 1 : 0);
      expect(state.chunks.length).toBe(records === 0 ? 0 : records < 6 ? 1 : 2);
      // A submitting without its submitted is unconfirmed: rediscover() settles it, nothing is resubmitted blindly.
      if (records === 1 || records === 6) expect(unconfirmed(state).map((c) => c.chunk)).toEqual([records === 1 ? 'c0001' : 'c0002']);
      else expect(unconfirmed(state)).toEqual([]);
      expect(state.byChunk.get('c0001')?.collected ?? false).toBe(records >= 5);
      // Slots of any unsettled or open batch stay reserved.
      if (records >= 1 && records < 5) expect(slotsInFlight(state).has('t0-1_r0')).toBe(true);
    }
  });

  it('a writer reopening a torn journal starts on a fresh line, and the reader reads on', () => {
    const path = join(dir, 'batches.jsonl');
    const ends = writeFullJournal(path);
    truncateSync(path, ends[5]! - 7); // torn in the middle of c0002's submitting
    const j = new BatchJournal(path);
    j.abandoned('c0002', 'never sent');
    j.submitting('c0003', 'openai', 'gpt-4.1-mini', [{ custom_id: 't0-1_r2__x2', slots: ['t0-1_r2'] }]);
    j.close();
    const state = readJournal(path);
    expect(state.droppedLines).toBe(1);
    expect(state.chunks.map((c) => c.chunk)).toEqual(['c0001', 'c0003']);
    expect(unconfirmed(state).map((c) => c.chunk)).toEqual(['c0003']);
  });
});

describe('rediscovery matching', () => {
  const chunk = (name: string, lines: number, at: number) => ({
    chunk: name,
    provider: 'anthropic',
    model: 'm',
    lines: Array.from({ length: lines }, (_, i) => ({ customId: `${name}_r${i}`, slots: [`${name}_r${i}`] })),
    submittingAt: at,
    recovered: false,
    ended: false,
    collected: false,
    abandoned: false,
    cancelRequested: false,
  });
  const summary = (batchId: string, total: number, createdAt: number, meta?: BatchSummary['meta']): BatchSummary => ({
    batchId,
    state: 'in_progress',
    providerStatus: 'in_progress',
    counts: { total, succeeded: 0, errored: 0, expired: 0, canceled: 0 },
    createdAt,
    meta,
  });

  it('with metadata: only the batch naming the chunk', () => {
    const m = matchUnconfirmed([chunk('c0002', 3, 1000)], [summary('b1', 3, 1500, { session: 's', chunk: 'c0001' }), summary('b2', 3, 1500, { session: 's', chunk: 'c0002' })], new Set(), true);
    expect(m.get('c0002')?.batchId).toBe('b2');
  });

  it('without metadata: the earliest unknown batch after the record with the same request count', () => {
    const summaries = [summary('old', 3, 0), summary('known', 3, 2_000_000), summary('wrong-size', 4, 2_000_100), summary('ours', 3, 2_000_200), summary('later', 3, 2_000_300)];
    const m = matchUnconfirmed([chunk('c0002', 3, 2_000_000)], summaries, new Set(['known']), false, 1000);
    expect(m.get('c0002')?.batchId).toBe('ours');
    expect(matchUnconfirmed([chunk('c0002', 5, 2_000_000)], summaries, new Set(), false, 1000).size).toBe(0);
  });
});

describe.each(PROVIDERS)('%s: submit, lose the submitted record, rediscover, collect', (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seed: 9 });
  });
  afterAll(() => server.close());

  const requests = (n: number, from = 0): PendingRequest[] =>
    Array.from({ length: n }, (_, i) => ({ slots: [`t0-2_r${from + i}`], request: examplesRequest(1) }));

  it('finds a batch submitted but not journaled through list(), and abandons a chunk that never reached the provider', async () => {
    const session = `sess-${provider}`;
    const path = join(dir, 'batches.jsonl');
    const c = client(server, provider);
    let journal = new BatchJournal(path);
    let state: JournalState = readJournal(path);
    await submitPending(requests(3), { client: c, journal, state, session });
    await submitPending(requests(3, 3), { client: c, journal, state, session });
    journal.close();
    // A kill right after the provider accepted c0002, before `submitted` reached the disk.
    const text = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(text.at(-1)!)).toMatchObject({ type: 'submitted', chunk: 'c0002' });
    const lostId = JSON.parse(text.at(-1)!).batch_id as string;
    writeFileSync(path, `${text.slice(0, -1).join('\n')}\n`);
    // And a submitting written just before a kill that came before the request left.
    journal = new BatchJournal(path);
    journal.submitting('c0003', provider, c.model, [{ custom_id: 't0-2_r6', slots: ['t0-2_r6'] }]);
    journal.close();

    state = readJournal(path);
    expect(unconfirmed(state).map((x) => x.chunk)).toEqual(['c0002', 'c0003']);
    journal = new BatchJournal(path);
    const found = await rediscover(state, journal, c, session);
    expect(found).toEqual({ found: [{ chunk: 'c0002', batchId: lostId }], abandoned: ['c0003'] });
    // Resubmitting everything: only the abandoned line goes again, under a new custom_id.
    const again = await submitPending(requests(7), { client: c, journal, state, session });
    expect(again.inFlight).toHaveLength(6);
    expect(again.submitted.map((x) => x.lines.map((l) => l.customId))).toEqual([['t0-2_r6__x2']]);

    // Collect every batch: each slot handed over exactly once.
    const handed: string[] = [];
    for (const chunk of openBatches(state)) {
      const done = await untilFinished(c, chunk.batchId!);
      await collectBatch(c, journal, state, chunk, done, ({ line, slots }) => {
        expect(line.ok).toBe(true);
        handed.push(...slots);
      });
    }
    journal.close();
    expect(handed.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `t0-2_r${i}`).sort());
    const reread = readJournal(path);
    expect(openBatches(reread)).toEqual([]);
    expect(slotsInFlight(reread).size).toBe(0);
  });

  it('cancels through the client and journals it; the canceled lines come back as failures to resubmit', async () => {
    server.setKnobs({ batchProcessingMs: 300 });
    const path = join(dir, 'batches.jsonl');
    const c = client(server, provider);
    const journal = new BatchJournal(path);
    const state = readJournal(path);
    const { submitted } = await submitPending(requests(10, 100), { client: c, journal, state, session: 'cancel' });
    const chunk = submitted[0]!;
    await c.cancel(chunk.batchId!);
    journal.cancelRequested(chunk.batchId!);
    const done = await untilFinished(c, chunk.batchId!);
    const failed: string[] = [];
    const outcome = await collectBatch(c, journal, state, chunk, done, ({ line, slots }) => {
      if (!line.ok) failed.push(...slots);
    });
    journal.close();
    expect(outcome.answered + outcome.failed).toBe(10);
    expect(failed.length).toBe(outcome.failed);
    expect(outcome.failed).toBeGreaterThan(0);
    const reread = readJournal(path);
    expect(reread.byBatch.get(chunk.batchId!)).toMatchObject({ cancelRequested: true, collected: true });
    server.setKnobs({ batchProcessingMs: 0 });
  });
});
