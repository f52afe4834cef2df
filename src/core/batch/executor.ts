/**
 * (A little over 300 lines: the queue, the flush, the poll and the resume share one lock and one state, kept in one class.)
 * The batch executor (`provider.mode: batch`): core's Executor over a provider batch API, so the scheduler,
 * ledger and stages do not change. Each job becomes a batch line (custom_id from its slots); a flush (a
 * full batch waiting, a short linger after the last job, or at once when nothing more comes) submits the
 * waiting lines through the journal; open batches are polled with backoff; each result line resolves its
 * job: an answer as the live provider would return it, an errored line as a ProviderError the scheduler
 * retries like any other failure, an expired or canceled one as not answered (queued again, see unanswered()).
 *
 * Resume: the journal (batches.jsonl) says which lines are in batches that are, or may be, live. A job
 * whose slots are exactly such a line is attached to it and resolved from that batch when it ends: nothing
 * is submitted twice. `inFlightGroups()` gives those lines' slot groups so the scheduler queues the same
 * groups first. A job that overlaps such a line without matching it waits for that batch to be collected.
 * Unconfirmed chunks (a kill between `submitting` and `submitted`) are settled through the provider's list
 * before anything else is submitted.
 *
 * Stop / Ctrl+C leaves the batches running: an aborted job resolves `aborted`, its line stays journaled.
 */
import { ProviderError, type GenerateRequest } from '../provider.js';
import type { Price } from '../prices.js';
import type { Executor, ExecutorJob, ExecutorOutcome } from '../executor.js';
import { asProviderError } from '../executor.js';
import { collectBatch } from './collect.js';
import { applyRecord, openBatches, unconfirmed, type BatchJournal, type JournalState } from './journal.js';
import { PollScheduler } from './poll.js';
import { rediscover } from './rediscover.js';
import { submitPending } from './submit.js';
import { isFinished, type BatchClient, type BatchStatus } from './types.js';
import { BatchTally, type BatchProgress } from './tally.js';
import { lineError, unanswered } from './line-outcome.js';

export type { BatchProgress } from './tally.js';

export interface BatchExecutorOptions {
  client: BatchClient;
  journal: BatchJournal;
  /** The journal as read at start (readSessionJournal); kept current here. */
  state: JournalState;
  session: string;
  price: Price | null;
  maxLines?: number;
  /** First poll delay, ms (grows 1.5x while nothing changes, to 12x). Default 5,000. */
  pollMs?: number;
  /** How long a job waits for more to join its batch, ms. Default 200. */
  lingerMs?: number;
  /** Backoff of a failed submit / list / collect, ms. Default 2,000 doubling to 120,000; 8 in a row fail the waiting jobs. */
  retryMs?: number;
  onProgress?: (p: BatchProgress) => void;
}

interface Waiter {
  slots: string[];
  key: string;
  request: GenerateRequest;
  job: ExecutorJob;
  resolve: (o: ExecutorOutcome) => void;
  customId?: string;
  detach: () => void;
}

const keyOf = (slots: readonly string[]) => slots.join(',');

export class BatchExecutor implements Executor {
  readonly mode = 'batch';
  readonly price: Price | null;
  private readonly queue: Waiter[] = [];
  private readonly byCustomId = new Map<string, Waiter>();
  private readonly scheduler: PollScheduler;
  private readonly tally: BatchTally;
  private timer: NodeJS.Timeout | null = null;
  private flushAt: number | null = null;
  private retryAt: number | null = null;
  private busy: Promise<void> = Promise.resolve();
  private started = false;
  private closed = false;
  private failuresInARow = 0;
  /** custom_ids whose result was handed to a job in this process: a job is never attached to one again. */
  private readonly handed = new Set<string>();

  constructor(private readonly o: BatchExecutorOptions) {
    this.price = o.price;
    const initialMs = o.pollMs ?? 5_000;
    this.scheduler = new PollScheduler({ initialMs, maxMs: initialMs * 12 });
    this.tally = new BatchTally(o.state, o.client.provider, o.onProgress);
  }

  get inFlight(): number {
    return this.queue.length + this.byCustomId.size;
  }

  get sending(): number {
    return this.byCustomId.size;
  }

  capacity(): number {
    return Math.max(0, Math.min(100_000, this.o.client.limits.maxLines * 4) - this.inFlight);
  }

  setConcurrency(): void {
    // A batch has no pool to size.
  }

  /** Slot groups of lines in batches that are (or may be) live: the scheduler queues these groups first. */
  inFlightGroups(): string[][] {
    const out: string[][] = [];
    for (const c of this.o.state.chunks) {
      if (c.abandoned || c.collected || c.provider !== this.o.client.provider) continue;
      for (const line of c.lines) out.push([...line.slots]);
    }
    return out;
  }

  run(job: ExecutorJob, signal: AbortSignal): Promise<ExecutorOutcome> {
    const slots = job.slots ?? [];
    return new Promise<ExecutorOutcome>((resolve) => {
      if (signal.aborted) return resolve({ ok: false, aborted: true, error: asProviderError(signal.reason ?? 'not sent') });
      const onAbort = () => this.settle(w, { ok: false, aborted: true, error: asProviderError(signal.reason ?? 'stopped') });
      const w: Waiter = {
        slots,
        key: keyOf(slots),
        request: job.request,
        job,
        resolve,
        detach: () => signal.removeEventListener('abort', onAbort),
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const line = this.liveLineFor(w.key);
      if (line && !this.byCustomId.has(line)) {
        // Already in a batch (a resume): resolved from it, never submitted again.
        w.customId = line;
        this.byCustomId.set(line, w);
        job.onStart?.();
      } else {
        this.queue.push(w);
        const full = this.queue.length >= (this.o.maxLines ?? this.o.client.limits.maxLines);
        this.flushAt = Math.min(this.flushAt ?? Infinity, Date.now() + (full ? 0 : (this.o.lingerMs ?? 200)));
      }
      this.kick();
    });
  }

  /** Stops the timers (the run ended). Batches at the provider keep running; the journal has their ids. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  // ------------------------------------------------------------------ internals

  /** The custom_id of a line with exactly these slots in a batch not yet collected (or not settled). */
  private liveLineFor(key: string): string | undefined {
    for (const c of this.o.state.chunks) {
      if (c.abandoned || c.collected || c.provider !== this.o.client.provider) continue;
      for (const line of c.lines) if (keyOf(line.slots) === key && !this.handed.has(line.customId)) return line.customId;
    }
    return undefined;
  }

  private settle(w: Waiter, outcome: ExecutorOutcome): void {
    const i = this.queue.indexOf(w);
    if (i >= 0) this.queue.splice(i, 1);
    if (w.customId && this.byCustomId.get(w.customId) === w) this.byCustomId.delete(w.customId);
    w.detach();
    w.resolve(outcome);
  }

  /** Runs step() under one lock, then sets the timer for the next due thing. */
  private kick(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.busy = this.busy.then(() => this.step()).catch(() => undefined).then(() => this.arm());
  }

  private arm(): void {
    if (this.closed || this.timer) return;
    const now = Date.now();
    const pollWait = this.inFlight > 0 ? this.scheduler.waitMs(now) : null;
    const flushWait = this.queue.length > 0 && this.flushAt !== null ? Math.max(0, this.flushAt - now) : null;
    let wait = Math.min(pollWait ?? Infinity, flushWait ?? Infinity);
    if (this.retryAt !== null && this.queue.length > 0) wait = Math.min(Math.max(wait, 0), Math.max(0, this.retryAt - now));
    if (wait === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, wait);
  }

  private async step(): Promise<void> {
    if (!this.started) {
      this.started = true;
      for (const c of openBatches(this.o.state)) if (c.provider === this.o.client.provider && c.batchId) this.scheduler.add(c.batchId, Date.now());
      this.tally.emit();
    }
    if (this.retryAt !== null && Date.now() < this.retryAt) return this.poll();
    this.retryAt = null;
    try {
      await this.settleUnconfirmed();
      if (this.flushAt !== null && Date.now() >= this.flushAt && this.queue.length > 0) await this.flush();
      this.failuresInARow = 0;
    } catch (err) {
      this.failed(err);
    }
    await this.poll();
  }

  private failed(err: unknown): void {
    const error = asProviderError(err);
    this.failuresInARow++;
    const fatal = error.kind === 'auth' || error.kind === 'quota' || (error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 409 && error.status !== 429);
    if (fatal || this.failuresInARow > 8) {
      // The scheduler decides: the waiting jobs fail with the error (a refused submission, auth, quota, or sustained failure).
      for (const w of [...this.queue]) this.settle(w, { ok: false, aborted: false, error });
      this.failuresInARow = 0;
      return;
    }
    const base = this.o.retryMs ?? 2_000;
    this.retryAt = Date.now() + Math.min(120_000, base * 2 ** (this.failuresInARow - 1));
  }

  /** A kill between `submitting` and `submitted`: the provider's list says whether the batch exists. */
  private async settleUnconfirmed(): Promise<void> {
    if (!unconfirmed(this.o.state).some((c) => c.provider === this.o.client.provider)) return;
    const settled = await rediscover(this.o.state, this.o.journal, this.o.client, this.o.session);
    for (const { batchId } of settled.found) this.scheduler.add(batchId, Date.now());
    for (const name of settled.abandoned) {
      // Its lines never reached the provider: the jobs attached to them go into a new batch.
      for (const line of this.o.state.byChunk.get(name)!.lines) this.requeue(line.customId);
    }
    this.tally.emit();
  }

  private requeue(customId: string): void {
    const w = this.byCustomId.get(customId);
    if (!w) return;
    this.byCustomId.delete(customId);
    w.customId = undefined;
    this.queue.push(w);
    this.flushAt = Date.now();
  }

  private async flush(): Promise<void> {
    this.flushAt = null;
    const wanted = this.queue.filter((w) => w.job.stillWanted?.() !== false);
    for (const w of this.queue.filter((x) => !wanted.includes(x))) this.settle(w, { ok: false, aborted: true, error: new ProviderError('network', 'not sent: the run stopped or paused') });
    // Waiters for the same slots (cannot happen from the scheduler, but never two lines for one slot).
    const byKey = new Map(wanted.map((w) => [w.key, w]));
    const outcome = await submitPending(
      [...byKey.values()].map((w) => ({ slots: w.slots, request: w.request })),
      {
        client: this.o.client,
        journal: this.o.journal,
        state: this.o.state,
        session: this.o.session,
        maxLines: this.o.maxLines,
        onSubmitted: (chunk) => {
          for (const line of chunk.lines) {
            const w = byKey.get(keyOf(line.slots));
            if (!w) continue;
            const i = this.queue.indexOf(w);
            if (i >= 0) this.queue.splice(i, 1);
            w.customId = line.customId;
            this.byCustomId.set(line.customId, w);
            w.job.onStart?.();
          }
          if (chunk.batchId) this.scheduler.add(chunk.batchId, Date.now());
          this.tally.emit();
        },
      },
    );
    for (const r of outcome.oversized) {
      const w = byKey.get(keyOf(r.slots));
      if (w) this.settle(w, { ok: false, aborted: false, error: new ProviderError('truncated', `${this.o.client.provider} batch: the request is larger than one batch may be`) });
    }
    // Lines overlapping a batch not collected yet stay queued: tried again after the next collection.
  }

  private async poll(): Promise<void> {
    for (const batchId of this.scheduler.due(Date.now())) {
      const chunk = this.o.state.byBatch.get(batchId);
      if (!chunk) {
        this.scheduler.remove(batchId);
        continue;
      }
      let status: BatchStatus;
      try {
        status = await this.o.client.poll(batchId);
      } catch {
        this.scheduler.failed(batchId, Date.now());
        continue;
      }
      const changed = this.scheduler.observed(status, Date.now());
      if (!isFinished(status.state)) {
        if (changed) {
          applyRecord(this.o.state, this.o.journal.polled(status));
          this.tally.emit();
        }
        continue;
      }
      if (!chunk.ended) applyRecord(this.o.state, this.o.journal.ended(status));
      try {
        await collectBatch(this.o.client, this.o.journal, this.o.state, chunk, status, ({ line }) => {
          const w = this.byCustomId.get(line.customId);
          this.handed.add(line.customId);
          // A line no job waits for: its slots are done already, or the run re-asks them another way.
          if (!w) return;
          this.settle(w, line.ok ? { ok: true, result: line.result } : { ok: false, aborted: unanswered(line.failure), error: lineError(line.failure) });
        });
        this.scheduler.remove(batchId);
        if (this.queue.length > 0) this.flushAt = Date.now();
      } catch {
        this.scheduler.failed(batchId, Date.now());
      }
      this.tally.emit();
    }
  }
}
