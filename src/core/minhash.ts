/**
 * Duplicate detection over everything accepted so far: exact (a hash of the normalized text) and near
 * (MinHash over word 3-shingles, found through LSH bands, similarity estimated from the signatures).
 *
 * Memory: no text is kept. Per accepted sample the index holds one 53-bit number (exact set), a 16-bit
 * slice of each MinHash value (b-bit MinHash: equal by chance once in 65,536) in chunked typed arrays, and
 * one entry per band in the band tables: about 0.7 KB a sample with the defaults.
 */
import { hash32 } from './random.js';

export interface DuplicateIndexOptions {
  /** Estimated Jaccard similarity at or above which a text is a near duplicate. Default 0.8. */
  threshold?: number;
  /** MinHash permutations. Default 64. */
  numPerm?: number;
  /** LSH bands; must divide numPerm. Default 16 (4 rows a band: pairs above ~0.5 become candidates). */
  bands?: number;
  seed?: number;
}

export type DuplicateCheck =
  | { duplicate: false }
  | { duplicate: true; kind: 'exact' | 'near'; similarity: number };

/** Lowercase, compatibility-folded, punctuation and symbols turned to spaces, whitespace collapsed. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A 53-bit hash of a string (cyrb53): collisions are negligible at a few million texts. */
export function hashText(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** murmur3's 32-bit finalizer: spreads every input bit over the whole hash. */
export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hashes of the word 3-shingles of a normalized text (one shingle of all words when fewer). */
export function shingleHashes(normalized: string): Uint32Array {
  if (normalized.length === 0) return new Uint32Array(0);
  const words = normalized.split(' ').map(hash32);
  if (words.length < 3) return Uint32Array.of(fmix32(words.reduce((h, w) => Math.imul(h, 31) ^ w, 7)));
  const out = new Uint32Array(words.length - 2);
  for (let i = 0; i < out.length; i++) {
    const a = words[i] as number;
    const b = words[i + 1] as number;
    const c = words[i + 2] as number;
    out[i] = fmix32((Math.imul(a, 0x9e3779b1) + Math.imul(b, 0x85ebca6b)) ^ c);
  }
  return out;
}

/** splitmix32: the permutation constants come from the seed. */
function randomWords(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return out;
}

/** Items per storage chunk: memory grows in small steps, never by doubling a large array. */
const CHUNK = 1024;

/**
 * The LSH band keys of every added text, in chained hash buckets kept in typed arrays (no object per
 * entry). Entry `item * bands + b` holds band `b` of `item`; `heads` maps a key's slot to its last entry.
 */
class BandTable {
  private heads = new Int32Array(1024);
  private readonly keys: Int32Array[] = [];
  private readonly nexts: Int32Array[] = [];
  private entries = 0;
  private readonly perChunk: number;

  constructor(private readonly bands: number) {
    this.perChunk = CHUNK * bands;
  }

  add(bandKeys: Int32Array): void {
    if (this.entries + this.bands > this.heads.length) this.grow();
    for (let b = 0; b < this.bands; b++) {
      const e = this.entries++;
      if (e % this.perChunk === 0) {
        this.keys.push(new Int32Array(this.perChunk));
        this.nexts.push(new Int32Array(this.perChunk));
      }
      const key = bandKeys[b] as number;
      (this.keys[this.keys.length - 1] as Int32Array)[e % this.perChunk] = key;
      this.link(e, key);
    }
  }

  /** Calls `visit` with every item sharing at least one band with `bandKeys` (an item may repeat). */
  candidates(bandKeys: Int32Array, visit: (item: number) => void): void {
    const mask = this.heads.length - 1;
    for (let b = 0; b < this.bands; b++) {
      const key = bandKeys[b] as number;
      for (let e = (this.heads[key & mask] as number) - 1; e >= 0; e = this.nextOf(e)) {
        if (e % this.bands === b && this.keyOf(e) === key) visit(Math.floor(e / this.bands));
      }
    }
  }

  /** Adds an item with no band keys (a text without words), so item numbers stay aligned. */
  skip(): void {
    for (let b = 0; b < this.bands; b++) {
      const e = this.entries++;
      if (e % this.perChunk === 0) {
        this.keys.push(new Int32Array(this.perChunk).fill(-1));
        this.nexts.push(new Int32Array(this.perChunk));
      }
    }
  }

  private keyOf(e: number): number {
    return (this.keys[Math.floor(e / this.perChunk)] as Int32Array)[e % this.perChunk] as number;
  }

  private nextOf(e: number): number {
    return ((this.nexts[Math.floor(e / this.perChunk)] as Int32Array)[e % this.perChunk] as number) - 1;
  }

  private link(e: number, key: number): void {
    const slot = key & (this.heads.length - 1);
    (this.nexts[Math.floor(e / this.perChunk)] as Int32Array)[e % this.perChunk] = this.heads[slot] as number;
    this.heads[slot] = e + 1;
  }

  private grow(): void {
    this.heads = new Int32Array(this.heads.length * 2);
    for (let e = 0; e < this.entries; e++) {
      const key = this.keyOf(e);
      if (key >= 0) this.link(e, key);
    }
  }
}

interface Prepared {
  text: string;
  key: number;
  /** null when the text has no words. */
  signature: Uint32Array | null;
  bandKeys: Int32Array | null;
}

export class DuplicateIndex {
  readonly threshold: number;
  readonly numPerm: number;
  readonly bands: number;
  private readonly rows: number;
  private readonly xors: Uint32Array;
  private readonly muls: Uint32Array;
  private readonly exact = new Set<number>();
  private readonly chunks: Uint16Array[] = [];
  private readonly table: BandTable;
  private count = 0;
  private last: Prepared | null = null;

  constructor(opts: DuplicateIndexOptions = {}) {
    this.threshold = opts.threshold ?? 0.8;
    this.numPerm = opts.numPerm ?? 64;
    this.bands = opts.bands ?? 16;
    if (!Number.isInteger(this.numPerm) || this.numPerm < 1) throw new RangeError('numPerm must be a positive integer');
    if (!Number.isInteger(this.bands) || this.bands < 1 || this.numPerm % this.bands !== 0) {
      throw new RangeError(`bands (${this.bands}) must divide numPerm (${this.numPerm})`);
    }
    this.rows = this.numPerm / this.bands;
    const seed = opts.seed ?? 1;
    this.xors = randomWords(this.numPerm, seed);
    this.muls = randomWords(this.numPerm, seed ^ 0x5bd1e995).map((m) => m | 1);
    this.table = new BandTable(this.bands);
  }

  /** Number of texts added. */
  get size(): number {
    return this.count;
  }

  check(text: string): DuplicateCheck {
    const p = this.prepare(text);
    if (this.exact.has(p.key)) return { duplicate: true, kind: 'exact', similarity: 1 };
    if (p.signature === null || p.bandKeys === null) return { duplicate: false };
    const signature = p.signature;
    let best = 0;
    let seen: Set<number> | null = null;
    this.table.candidates(p.bandKeys, (item) => {
      seen ??= new Set();
      if (seen.has(item)) return;
      seen.add(item);
      best = Math.max(best, this.similarity(signature, item));
    });
    return best >= this.threshold ? { duplicate: true, kind: 'near', similarity: best } : { duplicate: false };
  }

  add(text: string): void {
    const p = this.prepare(text);
    this.exact.add(p.key);
    const index = this.count++;
    if (index % CHUNK === 0) this.chunks.push(new Uint16Array(CHUNK * this.numPerm));
    if (p.signature === null || p.bandKeys === null) {
      this.table.skip();
      return;
    }
    const chunk = this.chunks[this.chunks.length - 1] as Uint16Array;
    const offset = (index % CHUNK) * this.numPerm;
    for (let i = 0; i < this.numPerm; i++) chunk[offset + i] = (p.signature[i] as number) & 0xffff;
    this.table.add(p.bandKeys);
  }

  /** MinHash signature of a text (full 32-bit values), or null when it has no words. */
  signature(text: string): Uint32Array | null {
    return this.prepare(text).signature;
  }

  /** Share of equal MinHash values between a signature and a stored one: the Jaccard estimate. */
  private similarity(signature: Uint32Array, index: number): number {
    const chunk = this.chunks[Math.floor(index / CHUNK)] as Uint16Array;
    const offset = (index % CHUNK) * this.numPerm;
    let equal = 0;
    for (let i = 0; i < this.numPerm; i++) if (((signature[i] as number) & 0xffff) === chunk[offset + i]) equal++;
    return equal / this.numPerm;
  }

  /** check() then add() of the same text compute the signature once. */
  private prepare(text: string): Prepared {
    if (this.last !== null && this.last.text === text) return this.last;
    const normalized = normalizeText(text);
    const shingles = shingleHashes(normalized);
    let signature: Uint32Array | null = null;
    let bandKeys: Int32Array | null = null;
    if (shingles.length > 0) {
      signature = new Uint32Array(this.numPerm).fill(0xffffffff);
      for (let s = 0; s < shingles.length; s++) {
        const x = shingles[s] as number;
        for (let i = 0; i < this.numPerm; i++) {
          let h = Math.imul(x ^ (this.xors[i] as number), this.muls[i] as number);
          h ^= h >>> 15;
          h = Math.imul(h, 0x2c1b3c6d);
          h = (h ^ (h >>> 12)) >>> 0;
          if (h < (signature[i] as number)) signature[i] = h;
        }
      }
      bandKeys = new Int32Array(this.bands);
      for (let b = 0; b < this.bands; b++) {
        let h = 0x3c6ef372 ^ b;
        for (let r = 0; r < this.rows; r++) h = Math.imul(h ^ (signature[b * this.rows + r] as number), 0x01000193);
        bandKeys[b] = fmix32(h) & 0x3fffffff;
      }
    }
    this.last = { text, key: hashText(normalized), signature, bandKeys };
    return this.last;
  }
}
