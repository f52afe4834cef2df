/**
 * The shingle hashes of many texts kept in a temporary file instead of memory (split's near-duplicate
 * grouping needs every row's, and their size grows with the text): each text's sorted unique hashes are
 * appended as uint32s, and read back by offset when the grouping asks (in order for every row, out of order
 * only for the rare candidate pairs). Memory per text is its offset, length and text hash.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash32 } from '../random.js';
import { normalizeText, shingleHashes } from '../export/shingles.js';

const FLUSH_BYTES = 1 << 20;

export class ShingleSpill {
  private readonly dir: string;
  private readonly fd: number;
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly hashes: number[] = [];
  /** Hashes waiting to be written, and how many of them there are. */
  private pending = new Uint32Array(FLUSH_BYTES / 4);
  private pendingCount = 0;
  private written = 0;
  /** Two reused read buffers: one for the row the grouping is at, one for the earlier row it compares it with. */
  private readonly reads = [new Uint32Array(1024), new Uint32Array(1024)];
  private furthest = -1;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'synthloom-shingles-'));
    this.fd = openSync(join(this.dir, 'shingles.bin'), 'w+');
  }

  get size(): number {
    return this.hashes.length;
  }

  add(text: string): void {
    const normalized = normalizeText(text);
    const shingles = shingleHashes(normalized);
    this.hashes.push(hash32(normalized));
    this.starts.push(this.written + this.pendingCount * 4);
    this.lengths.push(shingles.length);
    if (this.pendingCount + shingles.length > this.pending.length) this.flush();
    if (shingles.length > this.pending.length) this.pending = new Uint32Array(shingles.length);
    this.pending.set(shingles, this.pendingCount);
    this.pendingCount += shingles.length;
  }

  textHash(i: number): number {
    return this.hashes[i] as number;
  }

  /**
   * The shingles of text i, as a view valid until the next call for a text on the same side: the furthest
   * text asked for so far (the grouping's current row) and any earlier one (a candidate) each have a buffer.
   */
  shingles(i: number): Uint32Array {
    this.flush();
    const side = i >= this.furthest ? 0 : 1;
    if (side === 0) this.furthest = i;
    const length = this.lengths[i] as number;
    if ((this.reads[side] as Uint32Array).length < length) this.reads[side] = new Uint32Array(Math.max(length, (this.reads[side] as Uint32Array).length * 2));
    const out = (this.reads[side] as Uint32Array).subarray(0, length);
    let done = 0;
    while (done < out.byteLength) {
      const n = readSync(this.fd, out, done, out.byteLength - done, (this.starts[i] as number) + done);
      if (n === 0) throw new Error(`shingle file ended early at text ${i}`);
      done += n;
    }
    return out;
  }

  /** Removes the temporary file. */
  dispose(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.pendingCount === 0) return;
    const bytes = new Uint8Array(this.pending.buffer, 0, this.pendingCount * 4);
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
    this.pendingCount = 0;
  }
}
