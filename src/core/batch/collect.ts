/**
 * Reading a finished batch's results and handing each line to the run with its slot ids. Every line of
 * the chunk is handed over exactly once per call: answered lines as they come, and at the end a failure for
 * each line the results did not mention (or every line of a batch the provider refused). The run skips a
 * slot it already holds, so collecting again after a kill is harmless; `collected` is journaled last.
 */
import { applyRecord, type BatchJournal, type ChunkState, type JournalState } from './journal.js';
import type { BatchClient, BatchLineResult, BatchStatus } from './types.js';

export interface CollectedLine {
  line: BatchLineResult;
  /** The slot ids of the line's request (from the journal). */
  slots: string[];
}

export interface CollectOutcome {
  answered: number;
  failed: number;
  /** Result lines whose custom_id is not the chunk's (a wrongly recovered batch); ignored. */
  foreign: number;
}

export async function collectBatch(
  client: BatchClient,
  journal: BatchJournal,
  state: JournalState,
  chunk: ChunkState,
  status: BatchStatus,
  onLine: (line: CollectedLine) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<CollectOutcome> {
  if (!chunk.batchId) throw new Error(`chunk ${chunk.chunk} has no batch id to collect`);
  const slotsOf = new Map(chunk.lines.map((l) => [l.customId, l.slots]));
  const seen = new Set<string>();
  const outcome: CollectOutcome = { answered: 0, failed: 0, foreign: 0 };
  if (status.state === 'ended') {
    for await (const line of client.results(chunk.batchId, signal)) {
      const slots = slotsOf.get(line.customId);
      if (!slots || seen.has(line.customId)) {
        outcome.foreign += slots ? 0 : 1;
        continue;
      }
      seen.add(line.customId);
      if (line.ok) outcome.answered++;
      else outcome.failed++;
      await onLine({ line, slots });
    }
  }
  const why = status.state === 'failed' ? `the provider refused the batch: ${status.error ?? status.providerStatus}` : 'the batch results have no line for this request';
  for (const [customId, slots] of slotsOf) {
    if (seen.has(customId)) continue;
    outcome.failed++;
    await onLine({ line: { customId, ok: false, failure: { kind: 'errored', failureKind: 'server', message: `${client.provider} batch: ${why}` } }, slots });
  }
  applyRecord(state, journal.collected(chunk.batchId, outcome.answered, outcome.failed));
  return outcome;
}
