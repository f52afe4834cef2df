/**
 * Reading append-only JSONL files that may end in a torn line, one line at a time (a large samples.jsonl is
 * never held whole), reading one line back by its offset, and writing files atomically, whole or row by row.
 */
import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { forEachLine } from '../files.js';

/** Where a line starts in its file and how many bytes it has (a hint: see LineFile.read). */
export interface LineAt {
  offset: number;
  bytes: number;
}

export interface JsonlProblems {
  /** The last line had no newline and was not valid JSON: a write cut short by a crash. */
  tornLastLine: boolean;
  /** Line numbers of other lines that are not valid JSON. */
  badLines: number[];
}

/** Calls `visit` with each parsed line, its 1-based number and where it is; blank lines are skipped. */
export function forEachJsonl(path: string, visit: (value: unknown, line: number, at: LineAt) => void): JsonlProblems {
  const out: JsonlProblems = { tornLastLine: false, badLines: [] };
  forEachLine(path, ({ line: raw, number, offset, terminated }) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (terminated) out.badLines.push(number);
      else out.tornLastLine = true;
      return;
    }
    visit(value, number, { offset, bytes: Buffer.byteLength(raw) });
  });
  return out;
}

/** Reads lines of one file back by where forEachJsonl saw them. */
export class LineFile {
  private readonly fd: number;
  private buffer = Buffer.allocUnsafe(1 << 16);

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  /**
   * The parsed line at `at.offset`: the bytes up to the next newline or the end of the file. `at.bytes` is
   * only the first guess of its length (a line with invalid UTF-8 has another), so one read is usually enough.
   */
  read(at: LineAt): unknown {
    return JSON.parse(this.readText(at).trim());
  }

  /** The text of the line at `at.offset`, as it is in the file (without its newline). */
  readText(at: LineAt): string {
    let length = 0;
    for (let want = at.bytes + 1; ; want *= 2) {
      if (want > this.buffer.length) this.grow(want, length);
      const n = readSync(this.fd, this.buffer, length, want - length, at.offset + length);
      const newline = this.buffer.subarray(length, length + n).indexOf(10);
      if (newline !== -1) {
        length += newline;
        break;
      }
      length += n;
      if (length < want) break; // the end of the file
    }
    return this.buffer.toString('utf8', 0, length);
  }

  close(): void {
    closeSync(this.fd);
  }

  private grow(size: number, keep: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    this.buffer.copy(bigger, 0, 0, keep);
    this.buffer = bigger;
  }
}

/** Writes FILE.tmp-PID, flushes it to disk and renames it over FILE, so a reader never sees half a file. */
export function writeFileAtomic(path: string, data: string): void {
  const file = new AtomicFile(path);
  file.write(data);
  file.commit();
}

/**
 * A file written in pieces to FILE.tmp-PID and renamed over FILE by commit(), so a reader never sees half a
 * file; abort() (or a failed write) removes the temporary file. Pieces are gathered into writes of ~64 KiB.
 */
export class AtomicFile {
  private readonly tmp: string;
  private fd: number | null;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 16) this.flush();
  }

  commit(): void {
    this.flush();
    const fd = this.open();
    try {
      fsyncSync(fd);
    } catch (err) {
      this.abort();
      throw err;
    }
    closeSync(fd);
    this.fd = null;
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    try {
      writeAll(this.open(), text);
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  private open(): number {
    if (this.fd === null) throw new Error(`${this.path}: already committed or aborted`);
    return this.fd;
  }
}

/** Writes the whole text (a string goes to the kernel without a Buffer copy on the heap; a short write is finished). */
function writeAll(fd: number, text: string): void {
  const written = writeSync(fd, text);
  if (written === Buffer.byteLength(text)) return;
  const data = Buffer.from(text, 'utf8');
  for (let at = written; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
}
