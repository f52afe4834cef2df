/**
 * The two kinds of write that matter: atomic replace (temporary file, fsync, rename) and whole-line appends
 * (one write(2) per line on an O_APPEND descriptor, so a crash leaves either the whole line or none of it,
 * except on a torn disk write, which a reader detects). Plus a streaming line reader that holds one chunk
 * at a time, so opening a large session does not load it whole.
 */
import { closeSync, existsSync, fdatasyncSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';

export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
}

/** An append-only JSON-lines file. */
export class JsonlAppender {
  private fd: number | null;
  private dirty = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o644);
  }

  append(record: unknown): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    this.dirty = true;
  }

  /** Forces written lines to disk (a kill loses nothing either way; this covers power loss). */
  sync(): void {
    if (this.fd !== null && this.dirty) {
      fdatasyncSync(this.fd);
      this.dirty = false;
    }
  }

  close(): void {
    if (this.fd === null) return;
    this.sync();
    closeSync(this.fd);
    this.fd = null;
  }
}

export interface LineVisit {
  line: string;
  /** 1-based line number. */
  number: number;
  /** Byte offset of the line's start. */
  offset: number;
  /** False for a last line with no newline after it (possibly torn). */
  terminated: boolean;
}

/** Calls `visit` for every line of a file, reading 1 MiB at a time. A missing file has no lines. */
export function forEachLine(path: string, visit: (line: LineVisit) => void): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let fileOffset = 0;
    let number = 0;
    let lineStart = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, fileOffset);
      if (n === 0) break;
      fileOffset += n;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        number += 1;
        visit({ line: data.toString('utf8', start, nl), number, offset: lineStart, terminated: true });
        lineStart += nl - start + 1;
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) visit({ line: carry.toString('utf8'), number: number + 1, offset: lineStart, terminated: false });
  } finally {
    closeSync(fd);
  }
}
