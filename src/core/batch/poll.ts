/**
 * When to poll each open batch. A batch is polled soon after submission, then less and less often while
 * nothing changes (interval x factor, capped), and again soon after a change (its counts moved): batches
 * take minutes to hours, so polling every few seconds for a day would be thousands of useless requests.
 * A small deterministic-when-injected jitter keeps many batches from being polled in one burst.
 */
import { sleep } from '../backoff.js';
import type { BatchClient, BatchStatus } from './types.js';
import { isFinished } from './types.js';

export interface PollOptions {
  /** First delay after submission and after a change, ms. Default 5,000. */
  initialMs?: number;
  /** Longest delay between two polls of one batch, ms. Default 60,000. */
  maxMs?: number;
  /** Growth of the delay while nothing changes. Default 1.5. */
  factor?: number;
  /** Share of the delay to jitter by (0.1 = +-10%). Default 0.1. */
  jitter?: number;
  random?: () => number;
}

interface Entry {
  dueAt: number;
  intervalMs: number;
  last?: string;
}

export class PollScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: PollOptions = {}) {
    this.initialMs = Math.max(0, options.initialMs ?? 5_000);
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? 60_000);
    this.factor = Math.max(1, options.factor ?? 1.5);
    this.jitter = Math.min(Math.max(options.jitter ?? 0.1, 0), 1);
    this.random = options.random ?? Math.random;
  }

  /** Starts watching a batch; its first poll is due `delayMs` from now (default: at once). */
  add(batchId: string, now: number, delayMs = 0): void {
    this.entries.set(batchId, { dueAt: now + delayMs, intervalMs: this.initialMs });
  }

  remove(batchId: string): void {
    this.entries.delete(batchId);
  }

  has(batchId: string): boolean {
    return this.entries.has(batchId);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records a poll's outcome and schedules the next one. Returns true when the status changed. */
  observed(status: BatchStatus, now: number): boolean {
    const entry = this.entries.get(status.batchId);
    if (!entry) return false;
    const fingerprint = `${status.state}|${status.counts.succeeded}|${status.counts.errored}|${status.counts.expired}|${status.counts.canceled}`;
    const changed = entry.last !== fingerprint;
    // The first look and every change poll again soon; a batch that sits still is polled less and less.
    entry.intervalMs = changed ? this.initialMs : Math.min(this.maxMs, entry.intervalMs * this.factor);
    entry.last = fingerprint;
    entry.dueAt = now + this.spread(entry.intervalMs);
    return changed;
  }

  /** A poll failed (network, 5xx): try again after the current interval, grown. */
  failed(batchId: string, now: number): void {
    const entry = this.entries.get(batchId);
    if (!entry) return;
    entry.intervalMs = Math.min(this.maxMs, entry.intervalMs * this.factor);
    entry.dueAt = now + this.spread(entry.intervalMs);
  }

  /** Batches due at `now`, soonest first. */
  due(now: number): string[] {
    return [...this.entries.entries()].filter(([, e]) => e.dueAt <= now).sort((a, b) => a[1].dueAt - b[1].dueAt).map(([id]) => id);
  }

  /** ms until the next poll is due (0 if one is due now; null when nothing is watched). */
  waitMs(now: number): number | null {
    let soonest = Infinity;
    for (const e of this.entries.values()) soonest = Math.min(soonest, e.dueAt);
    return soonest === Infinity ? null : Math.max(0, soonest - now);
  }

  private spread(ms: number): number {
    return Math.round(ms * (1 + this.jitter * (2 * this.random() - 1)));
  }
}

export interface WatchOptions extends PollOptions {
  signal?: AbortSignal;
  now?: () => number;
  /** Called with each poll's status; `changed` is true when counts or state moved. */
  onStatus?: (status: BatchStatus, changed: boolean) => void | Promise<void>;
  /** Called when a poll throws; the batch is polled again later. Rethrow to stop watching. */
  onError?: (batchId: string, err: unknown) => void | Promise<void>;
}

/**
 * Polls `batchIds` until each has finished (ended or failed); resolves with their last statuses. Rejects
 * with the signal's reason when aborted (the batches keep running at the provider).
 */
export async function watchBatches(client: BatchClient, batchIds: readonly string[], options: WatchOptions = {}): Promise<Map<string, BatchStatus>> {
  const now = options.now ?? Date.now;
  const scheduler = new PollScheduler(options);
  const finished = new Map<string, BatchStatus>();
  for (const id of batchIds) scheduler.add(id, now());
  while (scheduler.size > 0) {
    const wait = scheduler.waitMs(now()) ?? 0;
    if (wait > 0) await sleep(wait, options.signal);
    if (options.signal?.aborted) throw options.signal.reason;
    for (const id of scheduler.due(now())) {
      let status: BatchStatus;
      try {
        status = await client.poll(id, options.signal);
      } catch (err) {
        if (options.signal?.aborted) throw options.signal.reason;
        scheduler.failed(id, now());
        await options.onError?.(id, err);
        continue;
      }
      const changed = scheduler.observed(status, now());
      await options.onStatus?.(status, changed);
      if (isFinished(status.state)) {
        scheduler.remove(id);
        finished.set(id, status);
      }
    }
  }
  return finished;
}
