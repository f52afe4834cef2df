/**
 * One streaming pass over a JSONL file of rows in any supported format, each read back into the canonical
 * sample (convert, split and import all read through here). One line is in memory at a time. A row that
 * cannot be read stops the pass with one line naming the file and line (exit 2), unless `skipBad`: then it
 * is counted, its line kept for the report, and skipped.
 *
 * With `from: 'auto'` each row's format is told from its keys; a row in another format than the rows
 * before it is a bad row (the file mixes formats). `{messages}` rows that read the same as openai or trl
 * are read as the format the file has shown so far (openai until a row shows trl).
 */
import { statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { forEachLine } from '../files.js';
import type { LineAt } from '../export/jsonl.js';
import { detectRow, type ReadRow, readRow, RowError, type SourceFormat } from './readers/index.js';

export type FromFormat = SourceFormat | 'auto';

export interface Progress {
  phase: string;
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface RowPassOptions {
  from: FromFormat;
  skipBad?: boolean;
  /** Called every few thousand lines (the caller throttles what it prints). */
  onProgress?: (p: Progress) => void;
  /**
   * With `from: 'auto'`: the format the file turned out to be (from an earlier pass), so rows that read as
   * openai or trl alike are read as it from the first line on.
   */
  assume?: SourceFormat;
  /** Names the pass in progress reports. */
  phase?: string;
}

export interface BadRow {
  line: number;
  message: string;
}

export interface RowPass {
  /** The file's format (the one given, or the one its rows showed); null when no row was read. */
  format: SourceFormat | null;
  rows: number;
  bad: { count: number; first: BadRow[] };
  /** What reading kept nowhere, summed over the rows: top-level keys by name, tool calls given ids, earlier reasoning. */
  losses: { extraKeys: Map<string, number>; rowsWithNewIds: number };
}

const PROGRESS_EVERY = 2000;
const BAD_KEPT = 5;

export function forEachRow(path: string, opts: RowPassOptions, visit: (read: ReadRow, line: number, at: LineAt, value: unknown) => void): RowPass {
  let totalBytes: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path} is not a file`);
    totalBytes = stat.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`file not found: ${path}`);
  }
  const pass: RowPass = { format: opts.from === 'auto' ? null : opts.from, rows: 0, bad: { count: 0, first: [] }, losses: { extraKeys: new Map(), rowsWithNewIds: 0 } };
  let chosen: { format: SourceFormat; certain: boolean; line: number } | null = opts.assume ? { format: opts.assume, certain: false, line: 1 } : null;
  const bad = (line: number, message: string): void => {
    if (!opts.skipBad) throw new UsageError(`${path}: line ${line}: ${message} (--skip-bad skips such rows and lists them)`);
    pass.bad.count++;
    if (pass.bad.first.length < BAD_KEPT) pass.bad.first.push({ line, message });
  };
  let lines = 0;
  forEachLine(path, ({ line: raw, number, offset }) => {
    if (opts.onProgress && ++lines % PROGRESS_EVERY === 0) opts.onProgress({ phase: opts.phase ?? 'reading', bytes: offset, totalBytes, rows: pass.rows });
    const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      bad(number, 'not valid JSON');
      return;
    }
    let format: SourceFormat;
    if (opts.from !== 'auto') format = opts.from;
    else {
      const seen = detectRow(value);
      if (!seen) {
        bad(number, 'not a row of any known format (no messages, prompt/completion, instruction/output or conversations)');
        return;
      }
      const chat = (f: SourceFormat) => f === 'openai' || f === 'trl';
      if (!chosen) chosen = { ...seen, line: number };
      else if (seen.format !== chosen.format) {
        if (chat(seen.format) && chat(chosen.format) && !(seen.certain && chosen.certain)) {
          if (seen.certain) chosen = { ...seen, line: number };
        } else {
          bad(number, `a ${seen.format} row, but line ${chosen.line} is ${chosen.format}: the file mixes formats (convert one format at a time, or pass --from)`);
          return;
        }
      } else if (seen.certain && !chosen.certain) chosen = { ...seen, line: number };
      format = chosen.format;
    }
    let read: ReadRow;
    try {
      read = readRow(format, value);
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      bad(number, `${format}: ${err.message}`);
      return;
    }
    pass.rows++;
    for (const key of read.losses.extraKeys) pass.losses.extraKeys.set(key, (pass.losses.extraKeys.get(key) ?? 0) + 1);
    if (read.losses.newIds > 0) pass.losses.rowsWithNewIds++;
    visit(read, number, { offset, bytes: Buffer.byteLength(raw) }, value);
  });
  if (chosen) pass.format = (chosen as { format: SourceFormat }).format;
  opts.onProgress?.({ phase: opts.phase ?? 'reading', bytes: totalBytes, totalBytes, rows: pass.rows });
  return pass;
}

/** The report lines for what a pass skipped or could not keep. */
export function passNotes(pass: RowPass, file: string): string[] {
  const notes: string[] = [];
  if (pass.bad.count > 0) {
    const lines = pass.bad.first.map((b) => `line ${b.line}: ${b.message}`).join('; ');
    notes.push(`${file}: ${pass.bad.count} bad row(s) skipped (${lines}${pass.bad.count > pass.bad.first.length ? '; ...' : ''})`);
  }
  if (pass.losses.extraKeys.size > 0) {
    const keys = [...pass.losses.extraKeys].map(([k, n]) => `"${k}" on ${n} row(s)`).join(', ');
    notes.push(`fields no training format carries were left out: ${keys}`);
  }
  if (pass.losses.rowsWithNewIds > 0) notes.push(`${pass.losses.rowsWithNewIds} row(s) had tool calls without ids; they got ids call_1, call_2, ... within the row`);
  return notes;
}
