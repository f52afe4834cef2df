/** LSH band buckets for DuplicateIndex (minhash.ts): which stored items share a band with a signature. */

/**
 * The LSH band keys of every added text, in chained hash buckets kept in typed arrays (no object per
 * entry). Entry `item * bands + b` holds band `b` of `item`; `heads` maps a key's slot to its last entry.
 */
export class BandTable {
  private heads = new Int32Array(1024);
  private readonly keys: Int32Array[] = [];
  private readonly nexts: Int32Array[] = [];
  private entries = 0;
  private readonly perChunk: number;

  /** `itemsPerChunk`: items whose entries share one storage chunk. */
  constructor(
    private readonly bands: number,
    itemsPerChunk: number,
  ) {
    this.perChunk = itemsPerChunk * bands;
  }

  add(bandKeys: Int32Array): void {
    if (this.entries + this.bands > this.heads.length) this.grow();
    const at = this.nextItem();
    const keys = this.keys[this.keys.length - 1] as Int32Array;
    const nexts = this.nexts[this.nexts.length - 1] as Int32Array;
    const mask = this.heads.length - 1;
    for (let b = 0; b < this.bands; b++) {
      const key = bandKeys[b] as number;
      keys[at + b] = key;
      nexts[at + b] = this.heads[key & mask] as number;
      this.heads[key & mask] = this.entries + b + 1;
    }
    this.entries += this.bands;
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
    const at = this.nextItem();
    (this.keys[this.keys.length - 1] as Int32Array).fill(-1, at, at + this.bands);
    this.entries += this.bands;
  }

  /**
   * Where the next item's entries start in the last chunk (a new chunk when it is full). An item's entries
   * never straddle chunks: a chunk holds a whole number of items.
   */
  private nextItem(): number {
    const at = this.entries % this.perChunk;
    if (at === 0) {
      this.keys.push(new Int32Array(this.perChunk));
      this.nexts.push(new Int32Array(this.perChunk));
    }
    return at;
  }

  private keyOf(e: number): number {
    return (this.keys[Math.floor(e / this.perChunk)] as Int32Array)[e % this.perChunk] as number;
  }

  private nextOf(e: number): number {
    return ((this.nexts[Math.floor(e / this.perChunk)] as Int32Array)[e % this.perChunk] as number) - 1;
  }

  /** Sizes the slot table for `items` more items at once, instead of doubling it step by step. */
  reserve(items: number): void {
    if (this.entries + items * this.bands > this.heads.length) this.grow(this.entries + items * this.bands);
  }

  /** A larger slot table (a power of two above `entries`), every entry linked again in order. */
  private grow(entries = this.entries + this.bands): void {
    let size = this.heads.length * 2;
    while (size < entries) size *= 2;
    this.heads = new Int32Array(size);
    const mask = size - 1;
    for (let c = 0, e = 0; c < this.keys.length; c++) {
      const keys = this.keys[c] as Int32Array;
      const nexts = this.nexts[c] as Int32Array;
      for (let i = 0; i < keys.length && e < this.entries; i++, e++) {
        const key = keys[i] as number;
        if (key < 0) continue;
        nexts[i] = this.heads[key & mask] as number;
        this.heads[key & mask] = e + 1;
      }
    }
  }
}
