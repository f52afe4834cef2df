/**
 * `synthloom convert`: rows of one format, through the canonical sample, into another, written by the
 * export's own format writers (so tool-call ids, argument types, reasoning placement and the notes on what
 * a format cannot carry are the export's). Two streaming passes: the first tells the format and gathers what
 * every row must agree on (the tools column, the system field), the second writes; the output is written
 * to a temporary file and renamed over --out, so a failed convert leaves no half file.
 */
import { ExportContextBuilder, formatWriter, type TrlStyle } from '../export/formats/index.js';
import { AtomicFile } from '../export/jsonl.js';
import type { ExportFormat } from '../config.js';
import { UsageError } from '../errors.js';
import { describeConflict, TypeConsistency } from '../validate/type-consistency.js';
import type { Sample } from '../types.js';
import { type FromFormat, forEachRow, passNotes, type Progress } from './rows.js';

export interface ConvertOptions {
  from: FromFormat;
  to: ExportFormat;
  trlStyle?: TrlStyle;
  out: string;
  skipBad?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface ConvertResult {
  from: string;
  to: string;
  out: string;
  read: number;
  written: number;
  /** Rows the target format cannot hold at all (counted in the notes too). */
  leftOut: number;
  badRows: number;
  /** What was lost or changed, with counts: every one of them, never silently. */
  notes: string[];
}

/** A row read back as a sample: its id and slot are its line number (zero-padded, so they sort in file order). */
export function rowSample(sample: Sample, line: number, category = ''): Sample {
  const key = `line-${String(line).padStart(10, '0')}`;
  sample.id = key;
  sample.slot = key;
  sample.category = category;
  return sample;
}

export function convertFile(input: string, opts: ConvertOptions): ConvertResult {
  if (opts.trlStyle !== undefined && opts.to !== 'trl') throw new UsageError(`--trl-style: applies only to --to trl (this convert is to ${opts.to})`);
  const writer = formatWriter(opts.to, opts.trlStyle ?? 'messages');
  const context = new ExportContextBuilder();
  const first = forEachRow(input, { from: opts.from, skipBad: opts.skipBad, onProgress: opts.onProgress, phase: 'reading' }, ({ sample }, line) => {
    rowSample(sample, line);
    context.add(sample);
  });
  if (first.rows === 0 || first.format === null) throw new UsageError(`${input}: no rows to convert`);
  const ctx = context.context([]);
  const types = new TypeConsistency();
  const notes = passNotes(first, input);
  const file = new AtomicFile(opts.out);
  let written = 0;
  let leftOut = 0;
  try {
    // The same decisions as the first pass (same bad rows), with rows that read as openai or trl alike read as the file's format.
    forEachRow(input, { from: opts.from, assume: first.format, skipBad: opts.skipBad, onProgress: opts.onProgress, phase: 'writing' }, ({ sample }, line) => {
      rowSample(sample, line);
      writer.count(sample);
      if (!writer.holds(sample)) {
        leftOut++;
        return;
      }
      const row = writer.row(sample, ctx);
      written++;
      for (const conflict of types.add(row, written)) notes.push(`${opts.out} line ${written}: ${describeConflict(conflict)}`);
      file.write(`${JSON.stringify(row)}\n`);
    });
    if (written === 0) throw new UsageError(`${input}: none of its ${first.rows} row(s) can be written as ${opts.to} (${writer.notes(ctx).join('; ')})`);
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
  notes.push(...writer.notes(ctx).map((n) => n.replace('export with --format', 'convert with --to')));
  return { from: first.format, to: opts.to, out: opts.out, read: first.rows, written, leftOut, badRows: first.bad.count, notes };
}
