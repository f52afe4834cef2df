/**
 * Groups of samples that must stay in one split: exact duplicates of the normalized conversation text
 * (lowercase, punctuation stripped, whitespace collapsed) and near duplicates whose word 3-shingle
 * Jaccard similarity is at least NEAR_DUPLICATE_SIMILARITY. Candidates come from MinHash bands, so the
 * cost grows with the number of samples, not with its square; every candidate pair is then checked exactly.
 *
 * Memory stays small for large sessions: the texts come as shingle sets and hashes (shingles.ts), only a
 * text whose hash matches an earlier one is read back to compare it exactly, and the band buckets live in
 * flat typed arrays (BandBuckets) rather than in a map of string keys.
 */
import { fmix32 } from '../minhash.js';

export const NEAR_DUPLICATE_SIMILARITY = 0.8;
const BANDS = 16;
const ROWS = 4;
const MAX_COMPARISONS_PER_BUCKET = 64;

/** The texts to group, in the export's order (groups depend on it through the bucket limit). */
export interface ComparedTexts {
  count: number;
  /** Sorted unique shingle hashes of text i. */
  shingles(i: number): Uint32Array;
  /** A hash of normalized text i: texts with different hashes differ. */
  textHash(i: number): number;
  /** Normalized text i, asked for only when its hash equals an earlier text's. */
  normalizedText(i: number): string;
}

export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = a.length + b.length - shared;
  return union === 0 ? 1 : shared / union;
}

const SIGNATURE = BANDS * ROWS;
/** Bits of a shingle's hash that pick its bin (SIGNATURE = 2^BIN_BITS bins); the rest are its value. */
const BIN_BITS = 6;
const VALUE_MASK = 0xffffffff >>> BIN_BITS;
const EMPTY = 0xffffffff;
const SEED = 0x5eed5eed;

/**
 * Writes the signature of `shingles` to out[at .. at + SIGNATURE) by one-permutation hashing: each shingle
 * is hashed once, its top bits choose one of SIGNATURE bins and each bin keeps its least value; an empty bin
 * takes the value of the next non-empty bin along, marked with the distance so that two texts match there
 * only when they match in that bin (rotation densification, Shrivastava 2017). Two texts agree in a bin
 * with probability close to their Jaccard similarity, as with classic MinHash, at one hash per shingle
 * instead of SIGNATURE: this loop was most of `quality`'s and `split`'s time. Candidates are checked exactly.
 */
function writeSignature(shingles: Uint32Array, out: Uint32Array, at: number): void {
  out.fill(EMPTY, at, at + SIGNATURE);
  for (let j = 0; j < shingles.length; j++) {
    const h = fmix32((shingles[j] as number) ^ SEED);
    const bin = at + (h >>> (32 - BIN_BITS));
    const value = h & VALUE_MASK;
    if (value < (out[bin] as number)) out[bin] = value;
  }
  if (shingles.length === 0) return;
  for (let k = 0; k < SIGNATURE; k++) {
    if (out[at + k] !== EMPTY) continue;
    let d = 1;
    while ((out[at + ((k + d) % SIGNATURE)] as number) > VALUE_MASK) d++;
    // Values are below 2^26, so distance * 2^26 + value never collides with a bin's own value.
    out[at + k] = (d * (VALUE_MASK + 1) + (out[at + ((k + d) % SIGNATURE)] as number)) >>> 0;
  }
}

/**
 * One bucket per (band, the signature's values in that band), each a chain of its members, newest first.
 * A flat open-addressing table keyed by a 32-bit hash of the band; on a hit the band's values are compared,
 * so two buckets never merge on a hash collision. An entry is item * BANDS + band.
 */
class BandBuckets {
  private readonly slots: Int32Array;
  private readonly older: Int32Array;

  constructor(
    items: number,
    private readonly signatures: Uint32Array,
  ) {
    let size = 16;
    while (size < items * BANDS * 1.5) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.older = new Int32Array(items * BANDS).fill(-1);
  }

  /** Puts `item` into its bucket for `band` and returns the entry of the member before it, or -1. */
  add(item: number, band: number): number {
    const entry = item * BANDS + band;
    const mask = this.slots.length - 1;
    for (let slot = this.hash(item, band) & mask; ; slot = (slot + 1) & mask) {
      const newest = this.slots[slot] as number;
      if (newest === -1 || (newest % BANDS === band && this.sameBand(Math.floor(newest / BANDS), item, band))) {
        this.slots[slot] = entry;
        this.older[entry] = newest;
        return newest;
      }
    }
  }

  /** The member added before entry's, or -1. */
  before(entry: number): number {
    return this.older[entry] as number;
  }

  static item(entry: number): number {
    return Math.floor(entry / BANDS);
  }

  private hash(item: number, band: number): number {
    let h = band;
    for (let r = 0, at = item * SIGNATURE + band * ROWS; r < ROWS; r++, at++) h = fmix32(Math.imul(h, 0x9e3779b1) ^ (this.signatures[at] as number));
    return h;
  }

  private sameBand(a: number, b: number, band: number): boolean {
    const sig = this.signatures;
    for (let r = 0, x = a * SIGNATURE + band * ROWS, y = b * SIGNATURE + band * ROWS; r < ROWS; r++, x++, y++) if (sig[x] !== sig[y]) return false;
    return true;
  }
}

class DisjointSets {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[i] !== root) {
      const next = this.parent[i] as number;
      this.parent[i] = root;
      i = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

export interface DuplicateGroups {
  /** Every index exactly once; groups in order of their first member. */
  groups: number[][];
  /** Samples whose normalized text equals an earlier sample's. */
  exactDuplicates: number;
}

/**
 * Each text is joined to an earlier one with the same normalized text or, failing that, compared with the
 * newest MAX_COMPARISONS_PER_BUCKET earlier texts of each band bucket it falls in. Which pairs are compared
 * depends only on the order of the texts, so the groups do too (not on the order of the comparisons).
 */
export function duplicateGroups(texts: ComparedTexts): DuplicateGroups {
  const n = texts.count;
  const sets = new DisjointSets(n);
  const signatures = new Uint32Array(n * SIGNATURE);
  const buckets = new BandBuckets(n, signatures);
  const firstWithHash = new Map<number, number>();
  const nextWithHash = new Int32Array(n).fill(-1);
  let exactDuplicates = 0;
  for (let i = 0; i < n; i++) {
    const copied = sameTextBefore(texts, i, firstWithHash, nextWithHash);
    if (copied >= 0) {
      sets.union(copied, i);
      exactDuplicates++;
      continue;
    }
    const shingles = texts.shingles(i);
    writeSignature(shingles, signatures, i * SIGNATURE);
    for (let band = 0; band < BANDS; band++) {
      let entry = buckets.add(i, band);
      for (let k = 0; entry !== -1 && k < MAX_COMPARISONS_PER_BUCKET; k++, entry = buckets.before(entry)) {
        const other = BandBuckets.item(entry);
        if (sets.find(other) === sets.find(i)) continue;
        if (jaccard(shingles, texts.shingles(other)) >= NEAR_DUPLICATE_SIMILARITY) sets.union(other, i);
      }
    }
  }

  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    const group = byRoot.get(root);
    if (group) group.push(i);
    else byRoot.set(root, [i]);
  }
  return { groups: [...byRoot.values()], exactDuplicates };
}

/**
 * The first earlier text whose normalized text equals text i's, or -1. Texts are chained by hash in the
 * order they first appeared; only an i with no equal earlier text joins its chain.
 */
function sameTextBefore(texts: ComparedTexts, i: number, firstWithHash: Map<number, number>, nextWithHash: Int32Array): number {
  const hash = texts.textHash(i);
  let last = -1;
  let text: string | null = null;
  for (let j = firstWithHash.get(hash) ?? -1; j !== -1; last = j, j = nextWithHash[j] as number) {
    text ??= texts.normalizedText(i);
    if (texts.normalizedText(j) === text) return j;
  }
  if (last === -1) firstWithHash.set(hash, i);
  else nextWithHash[last] = i;
  return -1;
}
