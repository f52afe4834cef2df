/**
 * The text near-duplicate grouping compares (every turn but the system prompt, normalized) reduced to what
 * the comparison needs: the sorted unique hashes of its word 3-shingles and a hash of the whole normalized
 * text. ShingleStore keeps those for many samples in a few large arrays; the text itself is not kept.
 */
import { hash32 } from '../random.js';
import type { Sample } from '../types.js';

const SHINGLE_WORDS = 3;

/**
 * Not minhash's normalizeText: this one keeps marks and control characters (minhash's turns them to
 * spaces), and the export's split membership depends on it, so the two stay separate.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text two samples are compared on: every turn except the system prompt, tool calls included. */
export function conversationText(sample: Pick<Sample, 'messages'>): string {
  const parts: string[] = [];
  for (const m of sample.messages) {
    if (m.role === 'system') continue;
    parts.push(m.content);
    for (const call of m.tool_calls ?? []) parts.push(call.function.name, call.function.arguments);
  }
  return parts.join('\n');
}

let scratch = new Uint32Array(1024);

/**
 * Writes the sorted unique hashes of the word 3-shingles of normalized text (words are separated by single
 * spaces) to the start of `scratch` and returns how many there are. A text of fewer than three words is
 * one shingle. Each shingle is hashed whole (hash32 of "w1 w2 w3"), unlike minhash's shingleHashes.
 */
function writeShingles(normalized: string): number {
  const starts: number[] = [0];
  for (let i = normalized.indexOf(' '); i !== -1; i = normalized.indexOf(' ', i + 1)) starts.push(i + 1);
  const words = normalized.length === 0 ? 0 : starts.length;
  const count = Math.max(1, words - SHINGLE_WORDS + 1);
  if (count > scratch.length) scratch = new Uint32Array(Math.max(count, scratch.length * 2));
  if (words < SHINGLE_WORDS) scratch[0] = hash32(normalized);
  for (let i = 0; i + SHINGLE_WORDS <= words; i++) {
    const end = i + SHINGLE_WORDS < words ? (starts[i + SHINGLE_WORDS] as number) - 1 : normalized.length;
    scratch[i] = hash32(normalized.slice(starts[i], end));
  }
  const sorted = scratch.subarray(0, count).sort();
  let unique = 0;
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i] as number;
  return unique;
}

/** Sorted unique hashes of the word shingles of normalized text. */
export function shingleHashes(normalized: string): Uint32Array {
  return scratch.slice(0, writeShingles(normalized));
}

const CHUNK = 1 << 18;

/**
 * The shingles and text hash of each added text, by the order they were added; no text is kept. The
 * shingles of all texts sit in a few large arrays (a text's never spans two), found by chunk and offset.
 */
export class ShingleStore {
  private readonly chunks: Uint32Array[] = [];
  private used = CHUNK;
  private chunkOf = new Int32Array(1024);
  private startOf = new Int32Array(1024);
  private lengthOf = new Int32Array(1024);
  private textHashes = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(text: string): void {
    this.addNormalized(normalizeText(text));
  }

  /** add() for a text already passed through normalizeText (the quality report normalizes each turn once). */
  addNormalized(normalized: string): void {
    const n = writeShingles(normalized);
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.used + n > chunk.length) {
      chunk = new Uint32Array(Math.max(CHUNK, n));
      this.chunks.push(chunk);
      this.used = 0;
    }
    chunk.set(scratch.subarray(0, n), this.used);
    if (this.count === this.chunkOf.length) this.grow();
    this.chunkOf[this.count] = this.chunks.length - 1;
    this.startOf[this.count] = this.used;
    this.lengthOf[this.count] = n;
    this.textHashes[this.count] = hash32(normalized);
    this.used += n;
    this.count++;
  }

  /** Sorted unique shingle hashes of text i (a view: do not change it). */
  shingles(i: number): Uint32Array {
    const start = this.startOf[i] as number;
    return (this.chunks[this.chunkOf[i] as number] as Uint32Array).subarray(start, start + (this.lengthOf[i] as number));
  }

  /** hash32 of normalized text i: equal texts have equal hashes (unequal ones may too). */
  textHash(i: number): number {
    return this.textHashes[i] as number;
  }

  private grow(): void {
    const size = this.count * 2;
    const bigger = <T extends Int32Array | Uint32Array>(a: T): T => {
      const out = new (a.constructor as new (n: number) => T)(size);
      out.set(a);
      return out;
    };
    this.chunkOf = bigger(this.chunkOf);
    this.startOf = bigger(this.startOf);
    this.lengthOf = bigger(this.lengthOf);
    this.textHashes = bigger(this.textHashes);
  }
}
