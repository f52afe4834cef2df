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
  private pending: Uint32Array[] = [];
  private pendingBytes = 0;
  private written = 0;

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
    this.starts.push(this.written + this.pendingBytes);
    this.lengths.push(shingles.length);
    this.pending.push(shingles);
    this.pendingBytes += shingles.byteLength;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  textHash(i: number): number {
    return this.hashes[i] as number;
  }

  shingles(i: number): Uint32Array {
    this.flush();
    const out = new Uint32Array(this.lengths[i] as number);
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
    if (this.pending.length === 0) return;
    const all = Buffer.allocUnsafe(this.pendingBytes);
    let at = 0;
    for (const s of this.pending) {
      all.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), at);
      at += s.byteLength;
    }
    for (let done = 0; done < all.length; ) done += writeSync(this.fd, all, done, all.length - done, this.written + done);
    this.written += all.length;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
