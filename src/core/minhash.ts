/**
 * Duplicate detection over everything accepted so far: exact (a hash of the normalized text) and near
 * (MinHash over word 3-shingles, found through LSH bands, similarity estimated from the signatures).
 *
 * Memory: no text is kept. Per accepted sample the index holds one 53-bit number (exact set), a 16-bit
 * slice of each MinHash value (b-bit MinHash: equal by chance once in 65,536) in chunked typed arrays, and
 * one entry per band in the band tables: about 0.7 KB a sample with the defaults.
 *
 * Durable: every added text has a fixed-size record (`lastRecord`) from which `addRecord` restores it
 * exactly, without hashing it again (a resume reads them from the session's dedup.bin).
 */
import { BandTable } from './band-table.js';
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

/** What `add` keeps of a text. */
interface Stored {
  /** hashText of the normalized text (53 bits). */
  key: number;
  /** null when the text has no words. */
  signature: Uint32Array | null;
  bandKeys: Int32Array | null;
}

interface Prepared extends Stored {
  text: string;
}

/** Set in a record's second word when the text has no words (no signature, no band keys). */
const NO_WORDS = 0x80000000;
/** Changes when the record layout does: records of another version are not restored. */
const RECORD_VERSION = 1;
/** Records are little-endian; on such a machine typed-array views read them directly. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export class DuplicateIndex {
  readonly threshold: number;
  readonly numPerm: number;
  readonly bands: number;
  /**
   * Bytes of one record (`lastRecord`, `addRecord`), little-endian: the exact-text hash as two 32-bit
   * words (the second also holds the "no words" flag, bit 31), `bands` 32-bit band keys, then `numPerm`
   * 16-bit signature values. 200 bytes with the defaults.
   */
  readonly recordSize: number;
  /** Identifies the record layout and the hashing (numPerm, bands, seed): only equal formats mix. */
  readonly recordFormat: number;
  private readonly rows: number;
  private readonly xors: Uint32Array;
  private readonly muls: Uint32Array;
  private readonly exact = new Set<number>();
  private readonly chunks: Uint16Array[] = [];
  private readonly table: BandTable;
  private readonly scratchBands: Int32Array;
  private count = 0;
  private last: Prepared | null = null;
  private lastAdded: Stored | Uint8Array | null = null;
  /** The record addRecord restored last (copied: the caller's bytes may be a view of a whole file). */
  private readonly lastRestored: Uint8Array;

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
    this.table = new BandTable(this.bands, CHUNK);
    this.scratchBands = new Int32Array(this.bands);
    this.recordSize = 8 + 4 * this.bands + 2 * this.numPerm;
    this.lastRestored = new Uint8Array(this.recordSize);
    this.recordFormat = hash32(`minhash record v${RECORD_VERSION} numPerm=${this.numPerm} bands=${this.bands} seed=${seed >>> 0}`);
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
    this.lastAdded = p;
    const slot = this.place(p.key, p.bandKeys);
    if (slot === null || p.signature === null) return;
    for (let i = 0; i < this.numPerm; i++) slot.chunk[slot.offset + i] = (p.signature[i] as number) & 0xffff;
  }

  /** Makes room for `items` more texts at once (a restore knows how many are coming). */
  reserve(items: number): void {
    this.table.reserve(items);
  }

  /** The record of the text added last (by `add` or `addRecord`), `recordSize` bytes. */
  lastRecord(): Uint8Array {
    const item = this.lastAdded;
    if (item === null) throw new Error('nothing has been added yet');
    if (item instanceof Uint8Array) return item.slice();
    const record = new Uint8Array(this.recordSize);
    const view = new DataView(record.buffer);
    view.setUint32(0, item.key % 4294967296, true);
    view.setUint32(4, (Math.floor(item.key / 4294967296) | (item.signature === null ? NO_WORDS : 0)) >>> 0, true);
    if (item.signature === null || item.bandKeys === null) return record;
    let at = 8;
    for (let b = 0; b < this.bands; b++, at += 4) view.setInt32(at, item.bandKeys[b] as number, true);
    for (let i = 0; i < this.numPerm; i++, at += 2) view.setUint16(at, (item.signature[i] as number) & 0xffff, true);
    return record;
  }

  /**
   * Adds an item from its record, exactly as `add` of its text did, without hashing. Throws a RangeError
   * for bytes that cannot be a record of this index (wrong size, hash or band key out of range).
   */
  addRecord(record: Uint8Array): void {
    if (record.length !== this.recordSize) throw new RangeError(`a duplicate-index record has ${this.recordSize} bytes, not ${record.length}`);
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    const high = view.getUint32(4, true);
    if ((high & ~NO_WORDS & ~0x1fffff) !== 0) throw new RangeError('not a duplicate-index record: the text hash is out of range');
    const key = (high & 0x1fffff) * 4294967296 + view.getUint32(0, true);
    const words = (high & NO_WORDS) === 0;
    const bandKeys = words ? this.readBandKeys(record, view) : null;
    this.lastRestored.set(record);
    this.lastAdded = this.lastRestored;
    const slot = this.place(key, bandKeys);
    if (slot === null) return;
    const at = 8 + 4 * this.bands;
    if (LITTLE_ENDIAN && (record.byteOffset + at) % 2 === 0) {
      slot.chunk.set(new Uint16Array(record.buffer, record.byteOffset + at, this.numPerm), slot.offset);
    } else {
      for (let i = 0; i < this.numPerm; i++) slot.chunk[slot.offset + i] = view.getUint16(at + 2 * i, true);
    }
  }

  /** MinHash signature of a text (full 32-bit values), or null when it has no words. */
  signature(text: string): Uint32Array | null {
    return this.prepare(text).signature;
  }

  /** A record's band keys (in a scratch array), each checked to be one `prepare` can make. */
  private readBandKeys(record: Uint8Array, view: DataView): Int32Array {
    const keys = this.scratchBands;
    if (LITTLE_ENDIAN && (record.byteOffset + 8) % 4 === 0) keys.set(new Int32Array(record.buffer, record.byteOffset + 8, this.bands));
    else for (let b = 0; b < this.bands; b++) keys[b] = view.getInt32(8 + 4 * b, true);
    for (let b = 0; b < this.bands; b++) {
      if ((keys[b] as number) < 0 || (keys[b] as number) > 0x3fffffff) throw new RangeError('not a duplicate-index record: a band key is out of range');
    }
    return keys;
  }

  /** Takes the next item number for a text: its exact hash, its band keys; where its signature goes (null without words). */
  private place(key: number, bandKeys: Int32Array | null): { chunk: Uint16Array; offset: number } | null {
    this.exact.add(key);
    const index = this.count++;
    if (index % CHUNK === 0) this.chunks.push(new Uint16Array(CHUNK * this.numPerm));
    if (bandKeys === null) {
      this.table.skip();
      return null;
    }
    this.table.add(bandKeys);
    return { chunk: this.chunks[this.chunks.length - 1] as Uint16Array, offset: (index % CHUNK) * this.numPerm };
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
