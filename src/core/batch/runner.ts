/**
 * The batch execution loop, for the engine's batch executor to drive: settle unconfirmed chunks
 * (rediscover), submit what is pending, poll the open batches with backoff, collect the finished ones
 * and hand every line to the run, and submit again what came back, until nothing is pending or open.
 *
 * The run decides through the hooks: `pending()` returns the requests that still need an answer (slots not
 * done and not exhausted, with their feedback turns); the loop leaves out those already in a batch. An
 * answered line goes to `answer` (the run's stages), a failed one to `failure`; a slot the run does not
 * mark done comes back through `pending()` and goes into a later batch under a new custom_id.
 *
 * An abort (Ctrl+C) rejects with the signal's reason and leaves the batches running at the provider: their
 * ids are journaled, a resume picks them up. cancelOpenBatches() is the other choice.
 */
import { backoffDelay, sleep } from '../backoff.js';
import { collectBatch, type CollectOutcome } from './collect.js';
import { applyRecord, openBatches, unconfirmed, type BatchJournal, type ChunkState, type JournalState } from './journal.js';
import { PollScheduler, type PollOptions } from './poll.js';
import { rediscover, type Rediscovery } from './rediscover.js';
import { submitPending, type PendingRequest } from './submit.js';
import type { BatchClient, BatchLineFailure, BatchStatus } from './types.js';
import { isFinished } from './types.js';
import type { GenerateResult } from '../provider.js';

export type BatchRunEvent =
  | { type: 'batch_recovered'; found: Rediscovery['found']; abandoned: string[] }
  | { type: 'batch_submitted'; chunk: string; batchId: string; lines: number }
  | { type: 'batch_status'; status: BatchStatus; changed: boolean }
  | { type: 'batch_collected'; chunk: string; batchId: string; outcome: CollectOutcome }
  | { type: 'batch_retry'; what: 'submit' | 'poll' | 'collect'; error: unknown; waitMs: number };

export interface BatchRunHooks {
  pending(): PendingRequest[];
  answer(line: { slots: string[]; customId: string; result: GenerateResult }): void | Promise<void>;
  failure(line: { slots: string[]; customId: string; failure: BatchLineFailure }): void | Promise<void>;
  event?(event: BatchRunEvent): void;
  /** True for an error that must end the run (auth, quota); it is rethrown. Default: a ProviderError of kind auth or quota. */
  fatal?(error: unknown): boolean;
}

export interface BatchRunOptions {
  client: BatchClient;
  journal: BatchJournal;
  state: JournalState;
  session: string;
  /** Fewer lines per batch than the provider allows. */
  maxLines?: number;
  poll?: PollOptions;
  /** Backoff of a failed submit / collect. Default 2 s doubling to 2 min, giving up (rethrowing) after 8 in a row. */
  retry?: { baseMs?: number; maxMs?: number; attempts?: number };
  signal?: AbortSignal;
  now?: () => number;
}

const defaultFatal = (err: unknown) => {
  const kind = (err as { kind?: string }).kind;
  return kind === 'auth' || kind === 'quota';
};

export async function runBatches(o: BatchRunOptions, hooks: BatchRunHooks): Promise<void> {
  const now = o.now ?? Date.now;
  const fatal = hooks.fatal ?? defaultFatal;
  const scheduler = new PollScheduler(o.poll);
  let failures = 0;
  const retry = async (what: 'submit' | 'poll' | 'collect', error: unknown) => {
    if (fatal(error) || o.signal?.aborted) throw o.signal?.aborted ? o.signal.reason : error;
    failures++;
    if (failures > (o.retry?.attempts ?? 8)) throw error;
    const waitMs = backoffDelay(failures, { baseMs: o.retry?.baseMs ?? 2000, maxMs: o.retry?.maxMs ?? 120_000, random: () => 0.5 + Math.random() / 2 });
    hooks.event?.({ type: 'batch_retry', what, error, waitMs });
    await sleep(waitMs, o.signal);
  };
  const watch = (chunk: ChunkState) => {
    if (chunk.batchId) scheduler.add(chunk.batchId, now());
  };
  // Chunks journaled by another provider (the session's provider changed) are not this client's to poll.
  const ours = (chunk: ChunkState) => chunk.provider === o.client.provider && chunk.batchId !== undefined;
  const unsettled = () => unconfirmed(o.state).some((c) => c.provider === o.client.provider);

  const settle = async (): Promise<boolean> => {
    try {
      const settled = await rediscover(o.state, o.journal, o.client, o.session, o.signal);
      if (settled.found.length + settled.abandoned.length > 0) hooks.event?.({ type: 'batch_recovered', found: settled.found, abandoned: settled.abandoned });
      for (const chunk of openBatches(o.state)) if (ours(chunk) && !scheduler.has(chunk.batchId!)) watch(chunk);
      return true;
    } catch (err) {
      await retry('submit', err);
      return false;
    }
  };
  while (!(await settle()));

  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason;
    // A chunk whose submission may or may not have reached the provider is settled before anything else goes out.
    if (unsettled() && !(await settle())) continue;
    let submitted = true;
    try {
      const outcome = await submitPending(hooks.pending(), {
        client: o.client,
        journal: o.journal,
        state: o.state,
        session: o.session,
        maxLines: o.maxLines,
        signal: o.signal,
        onSubmitted: (chunk) => {
          watch(chunk);
          hooks.event?.({ type: 'batch_submitted', chunk: chunk.chunk, batchId: chunk.batchId!, lines: chunk.lines.length });
        },
      });
      if (outcome.submitted.length > 0) failures = 0;
      for (const r of outcome.oversized) {
        await hooks.failure({ slots: r.slots, customId: '', failure: { kind: 'errored', failureKind: 'truncated', message: `${o.client.provider} batch: the request is larger than one batch may be` } });
      }
    } catch (err) {
      submitted = false;
      await retry('submit', err);
    }
    if (submitted && scheduler.size === 0 && !unsettled()) return; // nothing open and nothing left to submit
    const wait = scheduler.waitMs(now());
    if (wait === null) continue;
    if (wait > 0) await sleep(wait, o.signal);
    for (const batchId of scheduler.due(now())) {
      const chunk = o.state.byBatch.get(batchId)!;
      let status: BatchStatus;
      try {
        status = await o.client.poll(batchId, o.signal);
      } catch (err) {
        if (fatal(err) || o.signal?.aborted) throw o.signal?.aborted ? o.signal.reason : err;
        scheduler.failed(batchId, now());
        hooks.event?.({ type: 'batch_retry', what: 'poll', error: err, waitMs: scheduler.waitMs(now()) ?? 0 });
        continue;
      }
      const changed = scheduler.observed(status, now());
      hooks.event?.({ type: 'batch_status', status, changed });
      if (!isFinished(status.state)) {
        if (changed) applyRecord(o.state, o.journal.polled(status));
        continue;
      }
      if (!chunk.ended) applyRecord(o.state, o.journal.ended(status));
      try {
        const outcome = await collectBatch(o.client, o.journal, o.state, chunk, status, async ({ line, slots }) => {
          if (line.ok) await hooks.answer({ slots, customId: line.customId, result: line.result });
          else await hooks.failure({ slots, customId: line.customId, failure: line.failure });
        }, o.signal);
        scheduler.remove(batchId);
        failures = 0;
        hooks.event?.({ type: 'batch_collected', chunk: chunk.chunk, batchId, outcome });
      } catch (err) {
        // Reading the results failed part way: the lines already handed over are skipped by the run next time.
        await retry('collect', err);
        scheduler.failed(batchId, now());
      }
    }
  }
}

/** Cancels every open batch at the provider and journals it (the Ctrl+C "cancel the batches" choice). */
export async function cancelOpenBatches(client: BatchClient, journal: BatchJournal, state: JournalState, signal?: AbortSignal): Promise<string[]> {
  const cancelled: string[] = [];
  for (const chunk of openBatches(state)) {
    if (!chunk.batchId || chunk.ended || chunk.provider !== client.provider) continue;
    applyRecord(state, journal.cancelRequested(chunk.batchId));
    await client.cancel(chunk.batchId, signal);
    cancelled.push(chunk.batchId);
  }
  return cancelled;
}
