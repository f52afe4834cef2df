/**
 * Grounded slots: `questions_per_chunk` questions for every chunk, each with a strategy drawn from the
 * weights. A chunk's strategies depend only on its id and the settings (a stratified draw seeded by the
 * id), so adding a document leaves the slots of the other chunks exactly as they were; slot ids are
 * `CHUNK_ID:STRATEGY:N`. A multi_hop question pairs its chunk with the next chunk of the same document
 * (the previous one for the last); a document of one chunk gets the next strategy of its draw instead.
 */
import type { Config, GroundingStrategy } from '../config.js';
import { hash32 } from '../random.js';
import type { Chunk } from '../sources/chunk.js';
import { strategiesOf, type WeightedStrategy } from './strategies.js';

export interface GroundedSlot {
  /** `CHUNK_ID:STRATEGY:N`, N counting that strategy's questions within the chunk from 0. */
  id: string;
  chunkId: string;
  /** multi_hop only: the second chunk (same document). */
  pairedChunkId?: string;
  file: string;
  strategy: GroundingStrategy;
  /** This question's position among its chunk's questions (0 .. questions_per_chunk - 1). */
  question: number;
  /** The chunk's position in the plan: few-shot examples rotate by it, so one chunk's questions share a prompt prefix. */
  chunkOrdinal: number;
}

export interface TokenSpread {
  min: number;
  mean: number;
  max: number;
}

export interface GroundingFigures {
  documents: number;
  chunks: number;
  tokensPerChunk: TokenSpread;
  /** Chunk tokens over all chunks. */
  chunkTokens: number;
  slots: number;
  byStrategy: Partial<Record<GroundingStrategy, number>>;
  /** Input tokens the chunks add to the generation calls (a chunk once per question; both chunks for multi_hop). */
  inputTokensAdded: number;
  /** Of those, tokens a prompt cache can serve: every question of a chunk after its first. */
  cacheableInputTokens: number;
}

export interface GroundedPlan {
  slots: GroundedSlot[];
  figures: GroundingFigures;
}

export function planGroundedSlots(chunks: readonly Chunk[], grounding: Config['grounding']): GroundedPlan {
  const strategies = strategiesOf(grounding.strategies);
  const perChunk = grounding.questions_per_chunk;
  const byFile = new Map<string, Chunk[]>();
  for (const c of chunks) {
    const list = byFile.get(c.file);
    if (list) list.push(c);
    else byFile.set(c.file, [c]);
  }
  const slots: GroundedSlot[] = [];
  const byStrategy: Partial<Record<GroundingStrategy, number>> = {};
  let inputTokensAdded = 0;
  let cacheableInputTokens = 0;
  const tokensOf = new Map(chunks.map((c) => [c.id, c.tokens]));
  chunks.forEach((chunk, ordinal) => {
    const siblings = byFile.get(chunk.file) as Chunk[];
    const partner = pairFor(chunk, siblings);
    const counts = new Map<GroundingStrategy, number>();
    drawStrategies(chunk.id, perChunk, strategies, partner !== null).forEach((strategy, question) => {
      const n = counts.get(strategy) ?? 0;
      counts.set(strategy, n + 1);
      const slot: GroundedSlot = { id: `${chunk.id}:${strategy}:${n}`, chunkId: chunk.id, file: chunk.file, strategy, question, chunkOrdinal: ordinal };
      if (strategy === 'multi_hop' && partner) slot.pairedChunkId = partner.id;
      slots.push(slot);
      byStrategy[strategy] = (byStrategy[strategy] ?? 0) + 1;
      const tokens = chunk.tokens + (slot.pairedChunkId ? (tokensOf.get(slot.pairedChunkId) ?? 0) : 0);
      inputTokensAdded += tokens;
      if (question > 0 && !slot.pairedChunkId) cacheableInputTokens += chunk.tokens;
    });
  });
  const tokens = chunks.map((c) => c.tokens);
  const chunkTokens = tokens.reduce((a, b) => a + b, 0);
  return {
    slots,
    figures: {
      documents: byFile.size,
      chunks: chunks.length,
      tokensPerChunk: {
        min: tokens.length ? Math.min(...tokens) : 0,
        mean: tokens.length ? Math.round(chunkTokens / tokens.length) : 0,
        max: tokens.length ? Math.max(...tokens) : 0,
      },
      chunkTokens,
      slots: slots.length,
      byStrategy,
      inputTokensAdded,
      cacheableInputTokens,
    },
  };
}

/** The next chunk of the same document, or the previous one for the last; null for a one-chunk document. */
function pairFor(chunk: Chunk, siblings: readonly Chunk[]): Chunk | null {
  if (siblings.length < 2) return null;
  const at = siblings.indexOf(chunk);
  return (siblings[at + 1] ?? siblings[at - 1]) as Chunk;
}

/**
 * `count` strategies for a chunk: stratified points (offset + i) / count, the offset from the chunk id,
 * read off the cumulative weights. Over many chunks each strategy's share approaches its weight; within a
 * chunk its questions spread over the strategies. Without a partner chunk, multi_hop gives way to the
 * strategy after it in the list.
 */
export function drawStrategies(chunkId: string, count: number, strategies: readonly WeightedStrategy[], canPair: boolean): GroundingStrategy[] {
  const usable = canPair ? strategies : strategies.filter((s) => s.name !== 'multi_hop');
  const list = usable.length > 0 ? usable : [{ name: 'factual' as const, weight: 1 }];
  const total = list.reduce((a, s) => a + s.weight, 0);
  const offset = hash32(chunkId) / 4294967296;
  const out: GroundingStrategy[] = [];
  for (let i = 0; i < count; i++) {
    const u = ((offset + i / count) % 1) * total;
    let edge = 0;
    let pick = (list[list.length - 1] as WeightedStrategy).name;
    for (const s of list) {
      edge += s.weight;
      if (u < edge) {
        pick = s.name;
        break;
      }
    }
    out.push(pick);
  }
  return out;
}
