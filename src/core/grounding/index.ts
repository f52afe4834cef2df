/**
 * Grounded generation, the parts the engine calls: `prepareGrounding` (documents -> chunks -> slots, and
 * which chunks are new since the last plan) before the plan is shown, `groundedRequestParts` for each
 * slot's request, `groundingInputCost` for the plan's estimate. Everything here is pure but the reading
 * of the documents and the examples file.
 */
import type { Config } from '../config.js';
import { examplesFor } from '../examples/fewshot.js';
import { type FewShotExample, loadExamples } from '../examples/load.js';
import type { Price } from '../prices.js';
import { type Chunk, chunkDocuments } from '../sources/chunk.js';
import { type ChunkDiff, diffChunks } from '../sources/diff.js';
import { type Document, loadDocuments } from '../sources/load.js';
import { countTokens } from '../tokens.js';
import { type GroundedPrompt, groundedPrompt, renderExamples } from './prompt.js';
import { type GroundedPlan, type GroundedSlot, planGroundedSlots } from './slots.js';

export interface GroundingPreparation {
  documents: Document[];
  /** Files read but skipped (no text), for the plan. */
  notes: string[];
  chunks: Chunk[];
  chunkById: Map<string, Chunk>;
  droppedIdentical: number;
  plan: GroundedPlan;
  /** Against the chunk ids of the previous plan, when given: only `diff.new` chunks need generation. */
  diff: ChunkDiff | null;
  examples: FewShotExample[] | null;
}

/**
 * Reads `config.sources` (paths relative to `baseDir`, the config file's folder) and `config.examples`,
 * chunks and plans. Throws a SourceError (a UsageError, exit 2) naming the file on bad input.
 */
export async function prepareGrounding(config: Config, baseDir: string, previousChunkIds?: Iterable<string>): Promise<GroundingPreparation> {
  const { documents, notes } = await loadDocuments(config.sources, baseDir);
  const { chunks, droppedIdentical } = chunkDocuments(documents, {
    chunkTokens: config.grounding.chunk_tokens,
    overlapTokens: config.grounding.overlap_tokens,
  });
  const examples = config.examples ? loadExamples(config.examples, baseDir) : null;
  return {
    documents,
    notes,
    chunks,
    chunkById: new Map(chunks.map((c) => [c.id, c])),
    droppedIdentical,
    plan: planGroundedSlots(chunks, config.grounding),
    diff: previousChunkIds ? diffChunks(previousChunkIds, chunks) : null,
    examples,
  };
}

/** The prompt parts of one grounded slot: its chunk (and multi_hop partner) and the chunk's k examples. */
export function groundedRequestParts(config: Config, prep: Pick<GroundingPreparation, 'chunkById' | 'examples'>, slot: GroundedSlot): GroundedPrompt {
  const chunk = prep.chunkById.get(slot.chunkId);
  if (!chunk) throw new Error(`grounded slot ${slot.id}: chunk ${slot.chunkId} is not in the documents`);
  const paired = slot.pairedChunkId ? prep.chunkById.get(slot.pairedChunkId) : undefined;
  const examples = prep.examples && config.examples ? examplesFor(prep.examples, config.examples.k, slot.chunkOrdinal) : [];
  return groundedPrompt({ config, slot, chunk, paired, examples });
}

export interface GroundingCost {
  /** Tokens the passages and examples add to the calls. */
  inputTokens: number;
  /** Of those, expected from the prompt cache (questions after a chunk's first, prefix long enough). */
  cachedTokens: number;
  /** Of those, written to the cache (Anthropic bills a write at 1.25x; OpenAI writes at the input rate). */
  cacheWriteTokens: number;
  /** USD of inputTokens at the cached and uncached rates; null for an unknown price. */
  usd: number | null;
  /** The same tokens with no caching, for the plan to show the saving. */
  usdWithoutCache: number | null;
}

/**
 * What the chunks (and few-shot examples) add to the input of the calls, and its price with prompt
 * caching: a chunk's first question writes its prefix, the others read it, when the prefix reaches the
 * provider's minimum (`minCacheTokens`, 1024 for most models; below it caching does nothing).
 */
export function groundingInputCost(
  prep: Pick<GroundingPreparation, 'plan' | 'chunkById' | 'examples'>,
  config: Config,
  price: Price | null,
  minCacheTokens = 1024,
): GroundingCost {
  const exampleTokens = new Map<number, number>();
  const examplesTokensFor = (ordinal: number): number => {
    if (!prep.examples || !config.examples) return 0;
    let n = exampleTokens.get(ordinal);
    if (n === undefined) {
      n = countTokens(renderExamples(examplesFor(prep.examples, config.examples.k, ordinal)));
      exampleTokens.set(ordinal, n);
    }
    return n;
  };
  let inputTokens = 0;
  let cachedTokens = 0;
  let cacheWriteTokens = 0;
  const written = new Set<string>();
  for (const slot of prep.plan.slots) {
    const chunk = prep.chunkById.get(slot.chunkId);
    const paired = slot.pairedChunkId ? prep.chunkById.get(slot.pairedChunkId) : undefined;
    const prefix = (chunk?.tokens ?? 0) + (paired?.tokens ?? 0) + examplesTokensFor(slot.chunkOrdinal);
    inputTokens += prefix;
    if (prefix < minCacheTokens) continue;
    const key = `${slot.chunkId}|${slot.pairedChunkId ?? ''}`;
    if (written.has(key)) cachedTokens += prefix;
    else {
      written.add(key);
      cacheWriteTokens += prefix;
    }
  }
  const plain = inputTokens - cachedTokens - cacheWriteTokens;
  const usd = price
    ? (plain * price.input + cachedTokens * (price.cachedInput ?? price.input) + cacheWriteTokens * (price.cacheWrite ?? price.input)) / 1e6
    : null;
  return { inputTokens, cachedTokens, cacheWriteTokens, usd, usdWithoutCache: price ? (inputTokens * price.input) / 1e6 : null };
}
