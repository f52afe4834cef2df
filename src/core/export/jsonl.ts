/** Reading append-only JSONL files that may end in a torn line, and writing files atomically. */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface JsonlContent {
  /** Parsed lines with their 1-based line numbers. */
  values: { line: number; value: unknown }[];
  /** The last line had no newline and was not valid JSON: a write cut short by a crash. */
  tornLastLine: boolean;
  /** Line numbers of other lines that are not valid JSON. */
  badLines: number[];
}

export function readJsonl(path: string): JsonlContent {
  const out: JsonlContent = { values: [], tornLastLine: false, badLines: [] };
  if (!existsSync(path)) return out;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      out.values.push({ line: index + 1, value: JSON.parse(line) });
    } catch {
      const isLast = index === lines.length - 1;
      if (isLast) out.tornLastLine = true;
      else out.badLines.push(index + 1);
    }
  });
  return out;
}

/** Writes FILE.tmp-PID, flushes it to disk and renames it over FILE, so a reader never sees half a file. */
export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
