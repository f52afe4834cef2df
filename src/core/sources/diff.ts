/** What changed between the chunks a session planned before and the chunks of the documents now. */
import type { Chunk } from './chunk.js';

export interface ChunkDiff {
  /** Chunks whose id the previous plan did not have: only these need new samples. */
  new: Chunk[];
  /** Chunks the previous plan had (their samples, done or not, keep their slots). */
  unchanged: Chunk[];
  /** Ids of the previous plan that no document yields now (a document changed or was removed). */
  removed: string[];
}

export function diffChunks(previousIds: Iterable<string>, current: readonly Chunk[]): ChunkDiff {
  const before = new Set(previousIds);
  const now = new Set<string>();
  const out: ChunkDiff = { new: [], unchanged: [], removed: [] };
  for (const chunk of current) {
    now.add(chunk.id);
    (before.has(chunk.id) ? out.unchanged : out.new).push(chunk);
  }
  for (const id of before) if (!now.has(id)) out.removed.push(id);
  return out;
}
