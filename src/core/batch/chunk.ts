/**
 * Splitting the lines of a run into batches within a provider's limits (OpenAI: 50,000 lines and 200 MB
 * per input file; Anthropic: 100,000 requests and 256 MB per batch). Greedy and order-preserving: a chunk
 * is closed as soon as the next line would break either limit.
 */
import type { BatchLimits, BatchLine } from './types.js';

export const OPENAI_BATCH_LIMITS: BatchLimits = { maxLines: 50_000, maxBytes: 200 * 1024 * 1024 };
export const ANTHROPIC_BATCH_LIMITS: BatchLimits = { maxLines: 100_000, maxBytes: 256 * 1024 * 1024 };

/**
 * Bytes kept free in every chunk for what surrounds the lines (the Anthropic request's `{"requests":[...]}`
 * and separators, the multipart envelope of the OpenAI upload).
 */
export const ENVELOPE_BYTES = 4096;

export interface Chunking {
  chunks: BatchLine[][];
  /** Lines that alone exceed the byte limit: no batch can carry them (the caller fails them, or sends them live). */
  oversized: BatchLine[];
}

export interface ChunkOptions {
  /** A smaller line cap than the provider's (more, smaller batches: earlier results, finer progress). */
  maxLines?: number;
}

export function chunkLines(
  lines: Iterable<BatchLine>,
  limits: BatchLimits,
  lineBytes: (line: BatchLine) => number,
  options: ChunkOptions = {},
): Chunking {
  const maxLines = Math.max(1, Math.min(limits.maxLines, options.maxLines ?? Infinity));
  const maxBytes = limits.maxBytes - ENVELOPE_BYTES;
  if (maxBytes <= 0) throw new Error(`batch byte limit ${limits.maxBytes} leaves no room for lines`);
  const chunks: BatchLine[][] = [];
  const oversized: BatchLine[] = [];
  let current: BatchLine[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = lineBytes(line);
    if (size > maxBytes) {
      oversized.push(line);
      continue;
    }
    if (current.length >= maxLines || bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, oversized };
}
