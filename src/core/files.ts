/**
 * The two kinds of write that matter: atomic replace (temporary file, fsync, rename) and whole-line appends
 * (one write(2) per line on an O_APPEND descriptor, so a crash almost always leaves the whole line or none
 * of it; a kill during a write that spans pages, or a power loss, can leave a torn last line, which the
 * reader detects and moves aside). Plus a streaming line reader that holds one chunk
 * at a time, so opening a large session does not load it whole.
 */
import { closeSync, existsSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';

export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    // A full disk leaves no half-written temporary file beside the real one.
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone (the directory was deleted) */
    }
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
  syncDirectory(dirname(path));
}

/** Makes a rename in `dir` durable (power loss); best effort, since some systems cannot fsync a directory. */
export function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported here: the rename itself is still atomic */
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * An append-only file written in whole entries: each entry is one write(2); a write the kernel cuts short
 * (a full disk) is finished or undone, so no partial entry is left for the next append to run into.
 */
export class AppendOnlyFile {
  private fd: number | null;
  private dirty = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a+', 0o644);
  }

  /** The open descriptor (for reading or truncating); throws once the file is closed. */
  protected descriptor(): number {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    return this.fd;
  }

  protected appendEntry(bytes: Buffer): void {
    const fd = this.descriptor();
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (err) {
      if (written > 0) ftruncateSync(fd, fstatSync(fd).size - written);
      throw err;
    }
    this.dirty = true;
  }

  /** Forces written entries to disk (a kill loses nothing either way; this covers power loss). */
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

/**
 * An append-only JSON-lines file, one whole line a record. A file whose last line was torn by a crash gets
 * its newline first: the fragment stays a line of its own (for the reader to detect) instead of swallowing
 * the next record.
 */
export class JsonlAppender extends AppendOnlyFile {
  constructor(path: string) {
    super(path);
    if (!endsWithNewline(this.descriptor())) writeSync(this.descriptor(), '\n');
  }

  append(record: unknown): void {
    this.appendEntry(Buffer.from(`${JSON.stringify(record)}\n`, 'utf8'));
  }
}

/** True for an empty file or one whose last byte is a newline. */
function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 10;
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

/** Longest line the line readers accept: a longer one is not a JSON-lines record (a 1 GB file with no newline). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** A line over the readers' limit: one line naming the file and the line (a UsageError, exit 2). */
export class LineTooLongError extends UsageError {
  constructor(path: string, line: number, limit: number) {
    super(`${path}: line ${line} is over ${Math.round(limit / (1024 * 1024))} MB without a newline: not a JSON-lines file?`);
    this.name = 'LineTooLongError';
  }
}

export interface ByteLineVisit {
  /** The line's bytes, without its newline: a view of the reader's buffer, valid only during the call. */
  bytes: Buffer;
  number: number;
  offset: number;
  terminated: boolean;
}

/**
 * Calls `visit` for every line of a file as bytes, read through one 1 MiB buffer reused for the whole file
 * (grown only for a longer line, up to `maxLineBytes`). A new buffer per chunk would outlive its lines when
 * each line costs real work, be promoted to V8's old generation and hold its memory until a full GC. A
 * missing file has no lines.
 */
export function forEachLineBytes(path: string, visit: (line: ByteLineVisit) => void, maxLineBytes = MAX_LINE_BYTES): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(Math.min(1 << 20, maxLineBytes + 1));
    let kept = 0; // bytes of an unfinished line at the start of buffer
    let keptOffset = 0; // its offset in the file
    let number = 0;
    for (;;) {
      if (kept === buffer.length) {
        if (kept > maxLineBytes) throw new LineTooLongError(path, number + 1, maxLineBytes);
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxLineBytes + 1));
        buffer.copy(bigger, 0, 0, kept);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, kept, buffer.length - kept, keptOffset + kept);
      if (n === 0) break;
      const end = kept + n;
      let start = 0;
      for (let nl = buffer.indexOf(10, kept); nl !== -1 && nl < end; nl = buffer.indexOf(10, nl + 1)) {
        number += 1;
        if (nl - start > maxLineBytes) throw new LineTooLongError(path, number, maxLineBytes);
        visit({ bytes: buffer.subarray(start, nl), number, offset: keptOffset + start, terminated: true });
        start = nl + 1;
      }
      buffer.copy(buffer, 0, start, end);
      kept = end - start;
      keptOffset += start;
    }
    if (kept > maxLineBytes) throw new LineTooLongError(path, number + 1, maxLineBytes);
    if (kept > 0) visit({ bytes: buffer.subarray(0, kept), number: number + 1, offset: keptOffset, terminated: false });
  } finally {
    closeSync(fd);
  }
}

/** forEachLineBytes with each line decoded as UTF-8. */
export function forEachLine(path: string, visit: (line: LineVisit) => void, maxLineBytes = MAX_LINE_BYTES): void {
  forEachLineBytes(path, ({ bytes, number, offset, terminated }) => visit({ line: bytes.toString('utf8'), number, offset, terminated }), maxLineBytes);
}

/**
 * The last line of a file, read backwards (a large file is not read whole), with its byte offset and
 * whether a newline ends it. Null for a missing or empty file.
 */
export function lastLine(path: string): Omit<LineVisit, 'number'> | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return null;
    const terminated = endsWithNewline(fd);
    const end = terminated ? size - 1 : size;
    const parts: Buffer[] = [];
    let offset = 0;
    for (let pos = end; pos > 0; ) {
      const from = Math.max(0, pos - (1 << 16));
      const chunk = Buffer.alloc(pos - from);
      readSync(fd, chunk, 0, chunk.length, from);
      const nl = chunk.lastIndexOf(10);
      if (nl !== -1) {
        parts.unshift(chunk.subarray(nl + 1));
        offset = from + nl + 1;
        break;
      }
      parts.unshift(chunk);
      pos = from;
    }
    return { line: Buffer.concat(parts).toString('utf8'), offset, terminated };
  } finally {
    closeSync(fd);
  }
}

/** Lines of a file ended by a newline (a torn last line is not counted), counted without decoding. */
export function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let count = 0;
    for (let offset = 0; ; ) {
      const n = readSync(fd, chunk, 0, chunk.length, offset);
      if (n === 0) return count;
      offset += n;
      for (let i = chunk.indexOf(10); i !== -1 && i < n; i = chunk.indexOf(10, i + 1)) count++;
    }
  } finally {
    closeSync(fd);
  }
}
