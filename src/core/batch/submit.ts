/**
 * Submitting requests as batches, journaled so that a kill at any point submits nothing twice:
 *   1. requests whose slots are in a batch that is (or may be) live are left out;
 *   2. each request gets a custom_id never used before in this session (custom-id.ts);
 *   3. the lines are chunked within the client's limits;
 *   4. per chunk: `submitting` (fsynced) -> client.submit -> `submitted` (fsynced).
 * A kill before 4's first record loses nothing; between its records, rediscover() settles the chunk.
 */
import type { GenerateRequest } from '../provider.js';
import { chunkLines, type ChunkOptions } from './chunk.js';
import { encodeCustomId } from './custom-id.js';
import { applyRecord, nextChunkName, slotsInFlight, type BatchJournal, type ChunkState, type JournalState } from './journal.js';
import type { BatchClient, BatchLine } from './types.js';

export interface PendingRequest {
  /** The slot ids this request fills (one or more: samples_per_call). */
  slots: string[];
  /** The request the live provider would send, feedback turns included. */
  request: GenerateRequest;
}

export interface SubmitOptions extends ChunkOptions {
  client: BatchClient;
  journal: BatchJournal;
  /** The journal's state, kept current here (applyRecord) as records are written. */
  state: JournalState;
  session: string;
  signal?: AbortSignal;
  /** Called after each chunk is journaled as submitted. */
  onSubmitted?: (chunk: ChunkState) => void;
}

export interface SubmitOutcome {
  submitted: ChunkState[];
  /** Requests left out because a slot of theirs is in a live (or unsettled) batch. */
  inFlight: PendingRequest[];
  /** Requests too large for any batch of this provider. */
  oversized: PendingRequest[];
}

/**
 * The custom_id for `slots`: the next submission number of its slots, bumped past any id already used
 * (a hashed id could in principle repeat).
 */
export function nextCustomId(state: JournalState, slots: readonly string[], taken: ReadonlySet<string> = new Set()): string {
  let submission = 1 + Math.max(0, ...slots.map((s) => state.submissions.get(s) ?? 0));
  for (;;) {
    const id = encodeCustomId(slots, submission);
    if (!state.usedCustomIds.has(id) && !taken.has(id)) return id;
    submission++;
  }
}

/**
 * Submits `requests` in as few batches as the limits allow. A submission the provider refused outright
 * (a 4xx) is journaled `abandoned` and rethrown: its lines are free again. Any other failure (network,
 * timeout, 5xx) leaves the chunk unconfirmed and is rethrown: call rediscover() before submitting again.
 */
export async function submitPending(requests: readonly PendingRequest[], o: SubmitOptions): Promise<SubmitOutcome> {
  const busy = slotsInFlight(o.state);
  const outcome: SubmitOutcome = { submitted: [], inFlight: [], oversized: [] };
  const bySlotKey = new Map<string, PendingRequest>();
  const lines: BatchLine[] = [];
  const taken = new Set<string>();
  const claimed = new Set<string>();
  for (const r of requests) {
    if (r.slots.some((s) => busy.has(s) || claimed.has(s))) {
      outcome.inFlight.push(r);
      continue;
    }
    for (const s of r.slots) claimed.add(s);
    const customId = nextCustomId(o.state, r.slots, taken);
    taken.add(customId);
    bySlotKey.set(customId, r);
    lines.push({ customId, request: r.request });
  }
  const { chunks, oversized } = chunkLines(lines, o.client.limits, (l) => o.client.lineBytes(l), { maxLines: o.maxLines });
  outcome.oversized = oversized.map((l) => bySlotKey.get(l.customId)!);
  for (const chunk of chunks) {
    if (o.signal?.aborted) break;
    const name = nextChunkName(o.state);
    const journalLines = chunk.map((l) => ({ custom_id: l.customId, slots: bySlotKey.get(l.customId)!.slots }));
    applyRecord(o.state, o.journal.submitting(name, o.client.provider, o.client.model, journalLines));
    let batchId: string;
    try {
      ({ batchId } = await o.client.submit(chunk, { session: o.session, chunk: name }, o.signal));
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429) {
        applyRecord(o.state, o.journal.abandoned(name, `refused by the provider (${status})`));
      }
      throw err;
    }
    applyRecord(o.state, o.journal.submitted(name, batchId));
    const state = o.state.byChunk.get(name)!;
    outcome.submitted.push(state);
    o.onSubmitted?.(state);
  }
  return outcome;
}
