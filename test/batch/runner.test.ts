import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchJournal, readJournal } from '../../src/core/batch/journal.js';
import { cancelOpenBatches, runBatches, type BatchRunEvent } from '../../src/core/batch/runner.js';
import type { BatchLineFailure } from '../../src/core/batch/types.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { examplesRequest } from '../server/fixtures.js';
import { client, PROVIDERS } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'synthloom-batch-run-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

describe.each(PROVIDERS)('%s: runBatches', (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seed: 33 });
  });
  afterAll(() => server.close());

  const slots = (n: number) => Array.from({ length: n }, (_, i) => `t0-${i % 4}_r${Math.floor(i / 4)}`);

  it('10% of lines errored and one batch expired: every slot answered once, only the failed lines resubmitted', async () => {
    server.setKnobs({ batchLineErrorRate: 0.1, batchExpire: [2], batchProcessingMs: 100, batchExpireShare: 0.5 });
    server.resetStats();
    const want = slots(60);
    const done = new Map<string, string>();
    const failures: Array<{ slots: string[]; failure: BatchLineFailure }> = [];
    const events: BatchRunEvent[] = [];
    const c = client(server, provider);
    const journal = new BatchJournal(join(dir, 'batches.jsonl'));
    let input = 0;
    let output = 0;
    await runBatches(
      { client: c, journal, state: readJournal(join(dir, 'batches.jsonl')), session: 'run', maxLines: 10, poll: { initialMs: 10, maxMs: 40 } },
      {
        pending: () => want.filter((s) => !done.has(s)).map((s) => ({ slots: [s], request: examplesRequest(1) })),
        answer: ({ slots: lineSlots, customId, result }) => {
          for (const s of lineSlots) {
            expect(done.has(s)).toBe(false);
            done.set(s, customId);
          }
          input += result.usage.input_tokens;
          output += result.usage.output_tokens;
        },
        failure: (f) => void failures.push(f),
        event: (e) => void events.push(e),
      },
    );
    journal.close();
    expect(done.size).toBe(60);
    const expired = failures.filter((f) => f.failure.kind === 'expired').length;
    const errored = failures.filter((f) => f.failure.kind === 'errored').length;
    expect(expired).toBe(5); // half of the second batch's 10 lines
    expect(errored).toBeGreaterThan(0);
    const submitted = events.filter((e) => e.type === 'batch_submitted').reduce((n, e) => n + (e.type === 'batch_submitted' ? e.lines : 0), 0);
    expect(submitted).toBe(60 + failures.length);
    // A resubmitted slot's answer came under a new custom_id; first answers under the plain one.
    const failedSlots = new Set(failures.flatMap((f) => f.slots));
    for (const [slot, customId] of done) expect(customId.includes('__x')).toBe(failedSlots.has(slot));
    const stats = server.stats();
    expect(stats.byEndpoint['openai.chat.completions'] ?? 0).toBe(0);
    expect(stats.byEndpoint['anthropic.messages'] ?? 0).toBe(0);
    expect(stats.usageBy[`${provider}.batch`]).toEqual({ answers: 60, input, output });
    const state = readJournal(join(dir, 'batches.jsonl'));
    expect(state.chunks.every((ch) => ch.collected)).toBe(true);
  });

  it('a batch refused as invalid input: its lines go again and the run ends complete', async () => {
    server.setKnobs({ batchLineErrorRate: 0, batchExpire: [], batchInvalid: [1], batchProcessingMs: 0 });
    server.resetStats();
    const want = slots(8);
    const done = new Set<string>();
    const events: BatchRunEvent[] = [];
    const path = join(dir, 'batches.jsonl');
    const journal = new BatchJournal(path);
    await runBatches(
      { client: client(server, provider), journal, state: readJournal(path), session: 'invalid', poll: { initialMs: 10, maxMs: 40 }, retry: { baseMs: 10, maxMs: 20 } },
      {
        pending: () => want.filter((s) => !done.has(s)).map((s) => ({ slots: [s], request: examplesRequest(1) })),
        answer: ({ slots: lineSlots }) => lineSlots.forEach((s) => done.add(s)),
        failure: () => undefined,
        event: (e) => void events.push(e),
      },
    );
    journal.close();
    expect(done.size).toBe(8);
    const state = readJournal(path);
    // OpenAI fails the batch in validation (collected, all lines failed); Anthropic refuses the create (abandoned).
    expect(state.chunks[0]).toMatchObject(provider === 'openai' ? { collected: true, state: 'failed' } : { abandoned: true });
    expect(events.some((e) => e.type === (provider === 'openai' ? 'batch_collected' : 'batch_retry'))).toBe(true);
    server.setKnobs({ batchInvalid: [] });
  });

  it('gives up after repeated refusals instead of retrying for ever', async () => {
    server.setKnobs({ batchInvalid: [1, 2, 3, 4, 5, 6], batchProcessingMs: 0 });
    server.resetStats();
    const path = join(dir, 'batches.jsonl');
    const journal = new BatchJournal(path);
    const run = runBatches(
      { client: client(server, 'anthropic'), journal, state: readJournal(path), session: 'refused', retry: { baseMs: 5, maxMs: 10, attempts: 3 } },
      { pending: () => [{ slots: ['t0_r0'], request: examplesRequest(1) }], answer: () => undefined, failure: () => undefined },
    );
    await expect(run).rejects.toMatchObject({ status: 400 });
    journal.close();
    expect(readJournal(path).chunks.map((c) => c.abandoned)).toEqual([true, true, true, true]);
    server.setKnobs({ batchInvalid: [] });
  });

  it('Ctrl+C: abort leaves the batch running; cancelling it and collecting returns the unanswered lines as canceled', async () => {
    server.setKnobs({ batchLineErrorRate: 0, batchExpire: [], batchProcessingMs: 600 });
    const want = slots(12);
    const path = join(dir, 'batches.jsonl');
    const c = client(server, provider);
    const abort = new AbortController();
    let journal = new BatchJournal(path);
    const run = runBatches(
      { client: c, journal, state: readJournal(path), session: 'ctrlc', poll: { initialMs: 10, maxMs: 40 }, signal: abort.signal },
      {
        pending: () => want.map((s) => ({ slots: [s], request: examplesRequest(1) })),
        answer: () => undefined,
        failure: () => undefined,
        event: (e) => {
          if (e.type === 'batch_submitted') setTimeout(() => abort.abort(new Error('interrupted')), 150);
        },
      },
    );
    await expect(run).rejects.toThrow('interrupted');
    journal.close();
    let state = readJournal(path);
    expect(state.chunks).toHaveLength(1);
    const batchId = state.chunks[0]!.batchId!;
    expect((await c.poll(batchId)).state).toBe('in_progress');

    journal = new BatchJournal(path);
    expect(await cancelOpenBatches(c, journal, state)).toEqual([batchId]);
    const kinds: string[] = [];
    let answered = 0;
    await runBatches(
      { client: c, journal, state, session: 'ctrlc', poll: { initialMs: 10, maxMs: 40 } },
      { pending: () => [], answer: () => void answered++, failure: ({ failure }) => void kinds.push(failure.kind) },
    );
    journal.close();
    expect(answered + kinds.length).toBe(12);
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['canceled']));
    state = readJournal(path);
    expect(state.chunks[0]).toMatchObject({ cancelRequested: true, collected: true });
  });
});
