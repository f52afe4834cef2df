/**
 * After a crash between `submitting` and `submitted`, the batch may exist at the provider without its id in
 * the journal. rediscover() asks the provider's list and either journals the batch it finds (`submitted`,
 * recovered) or marks the chunk `abandoned`, after which its lines are free for a new chunk.
 *
 * OpenAI batches carry metadata {session, chunk}: the match is exact. Anthropic Message Batches have no
 * metadata: a batch is taken as the chunk's when it was created after the chunk's `submitting` record
 * (less a clock skew), has exactly the chunk's number of requests and is not already journaled; the
 * earliest such batch wins. When its results come, checkResults() confirms every custom_id is the chunk's.
 */
import type { BatchJournal, ChunkState, JournalState } from './journal.js';
import { applyRecord, unconfirmed } from './journal.js';
import type { BatchClient, BatchLineResult, BatchSummary } from './types.js';

/** How far the provider's clock may be behind ours. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Pure: which listed batch belongs to which unconfirmed chunk. */
export function matchUnconfirmed(
  chunks: readonly ChunkState[],
  summaries: readonly BatchSummary[],
  known: ReadonlySet<string>,
  hasMetadata: boolean,
  skewMs = CLOCK_SKEW_MS,
): Map<string, BatchSummary> {
  const taken = new Set(known);
  const out = new Map<string, BatchSummary>();
  const ordered = [...chunks].sort((a, b) => a.submittingAt - b.submittingAt);
  const byAge = [...summaries].sort((a, b) => a.createdAt - b.createdAt);
  for (const chunk of ordered) {
    const hit = byAge.find((s) => {
      if (taken.has(s.batchId)) return false;
      if (hasMetadata) return s.meta?.chunk === chunk.chunk;
      return s.meta === undefined && s.counts.total === chunk.lines.length && s.createdAt >= chunk.submittingAt - skewMs;
    });
    if (hit) {
      out.set(chunk.chunk, hit);
      taken.add(hit.batchId);
    }
  }
  return out;
}

export interface Rediscovery {
  /** Chunks whose batch was found (now journaled as submitted). */
  found: Array<{ chunk: string; batchId: string }>;
  /** Chunks with no batch at the provider (now journaled as abandoned; their lines go again). */
  abandoned: string[];
}

/**
 * Settles every unconfirmed chunk of `state` through `client.list`, journals the outcome and updates `state`
 * in place. Only chunks of `client.provider` are looked for.
 */
export async function rediscover(state: JournalState, journal: BatchJournal, client: BatchClient, session: string, signal?: AbortSignal): Promise<Rediscovery> {
  const pending = unconfirmed(state).filter((c) => c.provider === client.provider);
  const result: Rediscovery = { found: [], abandoned: [] };
  if (pending.length === 0) return result;
  const since = Math.min(...pending.map((c) => c.submittingAt)) - CLOCK_SKEW_MS;
  const summaries = await client.list({ session, createdAfter: since }, signal);
  const matches = matchUnconfirmed(pending, summaries, new Set(state.byBatch.keys()), client.hasMetadata);
  for (const chunk of pending) {
    const hit = matches.get(chunk.chunk);
    if (hit) {
      applyRecord(state, journal.submitted(chunk.chunk, hit.batchId, true));
      result.found.push({ chunk: chunk.chunk, batchId: hit.batchId });
    } else {
      applyRecord(state, journal.abandoned(chunk.chunk, 'not in the provider batch list after a restart'));
      result.abandoned.push(chunk.chunk);
    }
  }
  return result;
}

/** Result lines whose custom_id is not one of the chunk's (a recovered Anthropic batch that was not ours). */
export function foreignResults(chunk: ChunkState, results: readonly BatchLineResult[]): BatchLineResult[] {
  const ours = new Set(chunk.lines.map((l) => l.customId));
  return results.filter((r) => !ours.has(r.customId));
}
