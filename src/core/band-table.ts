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
