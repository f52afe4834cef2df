/**
 * What the dashboard shows of a batch run, from the journal's state: batches submitted / in progress /
 * done, lines succeeded / failed (the providers' own counts of the batches that ended, this run's and the
 * earlier ones of the session). Emitted when it changes.
 */
import type { JournalState } from './journal.js';

export interface BatchProgress {
  submitted: number;
  inProgress: number;
  done: number;
  linesSucceeded: number;
  linesFailed: number;
  /** Lines in batches not ended yet. */
  linesPending: number;
}

export function batchProgress(state: JournalState, provider: string): BatchProgress {
  const p: BatchProgress = { submitted: 0, inProgress: 0, done: 0, linesSucceeded: 0, linesFailed: 0, linesPending: 0 };
  for (const c of state.chunks) {
    if (c.provider !== provider || c.batchId === undefined) continue;
    p.submitted++;
    if (c.ended || c.collected) {
      p.done++;
      const n = c.counts;
      if (n && c.state !== 'failed') {
        p.linesSucceeded += n.succeeded;
        p.linesFailed += n.total - n.succeeded;
      } else p.linesFailed += c.lines.length;
    } else {
      p.inProgress++;
      p.linesPending += c.lines.length;
    }
  }
  return p;
}

export class BatchTally {
  private last = '';

  constructor(
    private readonly state: JournalState,
    private readonly provider: string,
    private readonly onProgress?: (p: BatchProgress) => void,
  ) {}

  emit(): void {
    const p = batchProgress(this.state, this.provider);
    const key = JSON.stringify(p);
    if (key === this.last) return;
    this.last = key;
    this.onProgress?.(p);
  }
}
