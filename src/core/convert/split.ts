/**
 * `synthloom split`: any dataset file into train/validation/test with the export's splitter: sizes exact to
 * the row (largest remainder), stratified by a field of the rows when asked, and every group of near
 * duplicates (the export's MinHash grouping of the conversation text) kept in one split. Rows are copied
 * byte for byte, in a seeded order. Memory holds, per row, where its line is, its category, a hash of its
 * text and (during grouping) its MinHash signature, a fixed size whatever the row's length; never the rows,
 * and their shingles wait in a temporary file (ShingleSpill). Each split file is written to a temporary
 * file and renamed into place.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { AtomicFile, LineFile } from '../export/jsonl.js';
import { duplicateGroups } from '../export/near-duplicates.js';
import { seededRandom, shuffled } from '../export/random.js';
import { conversationText, normalizeText } from '../export/shingles.js';
import { ShingleSpill } from './shingle-spill.js';
import { assignSplits, SPLIT_NAMES, type SplitRatios } from '../export/splits.js';
import { readRow } from './readers/index.js';
import { type FromFormat, forEachRow, passNotes, type Progress } from './rows.js';

export interface SplitOptions {
  ratios: SplitRatios;
  seed: number;
  /** A field of the rows (dotted path, e.g. metadata.category) whose value each split keeps in proportion. */
  stratify?: string;
  out: string;
  from?: FromFormat;
  skipBad?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface SplitResult {
  format: string;
  rows: number;
  files: { split: string; path: string; rows: number }[];
  /** Rows each split should have; equal to the rows written unless a near-duplicate group was too big to fit. */
  targets: number[];
  nearDuplicateGroups: number;
  rowsInGroups: number;
  categories: { name: string; rows: number[] }[];
  notes: string[];
}

/** The value at a dotted path of a row, as a category name; undefined when it is missing or not a scalar. */
export function fieldValue(row: unknown, path: string): string | undefined {
  let v: unknown = row;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function splitFile(input: string, opts: SplitOptions): SplitResult {
  const spill = new ShingleSpill();
  try {
    return splitRows(input, opts, spill);
  } finally {
    spill.dispose();
  }
}

function splitRows(input: string, opts: SplitOptions, spill: ShingleSpill): SplitResult {
  const offsets: number[] = [];
  const bytes: number[] = [];
  const categoryOf: number[] = [];
  const names = new Map<string, number>();
  let missing = 0;
  const pass = forEachRow(input, { from: opts.from ?? 'auto', skipBad: opts.skipBad, onProgress: opts.onProgress, phase: 'reading' }, ({ sample }, _line, at, value) => {
    offsets.push(at.offset);
    bytes.push(at.bytes);
    let category = '';
    if (opts.stratify) {
      const v = fieldValue(value, opts.stratify);
      if (v === undefined) missing++;
      category = v ?? '';
    }
    let index = names.get(category);
    if (index === undefined) names.set(category, (index = names.size));
    categoryOf.push(index);
    spill.add(conversationText(sample));
  });
  if (pass.rows === 0 || pass.format === null) throw new UsageError(`${input}: no rows to split`);
  const format = pass.format;
  const categoryNames = [...names.keys()];
  const categories = categoryOf.map((c) => categoryNames[c] as string);

  const lines = new RawLines(input);
  try {
    const normalized = (i: number) => normalizeText(conversationText(readRow(format, JSON.parse(lines.read(offsets[i] as number, bytes[i] as number))).sample));
    const { groups } = duplicateGroups({
      count: pass.rows,
      textHash: (i) => {
        if (opts.onProgress && i % 5000 === 0 && i > 0) opts.onProgress({ phase: 'grouping near duplicates', bytes: i, totalBytes: pass.rows, rows: i });
        return spill.textHash(i);
      },
      shingles: (i) => spill.shingles(i),
      normalizedText: normalized,
    });
    const split = assignSplits(categories, groups, opts.ratios, opts.seed);
    mkdirSync(opts.out, { recursive: true });
    const random = seededRandom(opts.seed ^ 0x2545f491);
    const files: SplitResult['files'] = [];
    const notes = passNotes(pass, input);
    let written = 0;
    SPLIT_NAMES.forEach((name, s) => {
      const path = join(opts.out, `${name}.jsonl`);
      const members: number[] = [];
      split.splitOf.forEach((x, i) => x === s && members.push(i));
      if (members.length === 0) {
        rmSync(path, { force: true });
        return;
      }
      const file = new AtomicFile(path);
      try {
        for (const i of shuffled(members, random)) {
          file.write(`${lines.read(offsets[i] as number, bytes[i] as number)}\n`);
          if (opts.onProgress && ++written % 5000 === 0) opts.onProgress({ phase: 'writing', bytes: written, totalBytes: pass.rows, rows: written });
        }
        file.commit();
      } catch (err) {
        file.abort();
        throw err;
      }
      files.push({ split: name, path, rows: members.length });
    });
    if (split.sizes.some((n, s) => n !== split.targets[s])) {
      notes.push(`split sizes ${split.sizes.join('/')} differ from the exact ${split.targets.join('/')}: a group of near duplicates was too large to fit its split`);
    }
    if (opts.stratify && missing > 0) notes.push(`${missing} row(s) have no value at ${opts.stratify}; they are stratified as one group of their own`);
    const multi = groups.filter((g) => g.length > 1);
    const perCategory = categoryNames.map((n) => ({ name: n, rows: SPLIT_NAMES.map(() => 0) }));
    split.splitOf.forEach((s, i) => ((perCategory[categoryOf[i] as number] as { rows: number[] }).rows[s]! += 1));
    return {
      format,
      rows: pass.rows,
      files,
      targets: split.targets,
      nearDuplicateGroups: multi.length,
      rowsInGroups: multi.reduce((n, g) => n + g.length, 0),
      categories: opts.stratify ? perCategory : [],
      notes,
    };
  } finally {
    lines.close();
  }
}

/** Lines of the file read back by offset as text (no JSON round trip, so rows are copied byte for byte). */
class RawLines {
  private readonly file: LineFile;

  constructor(path: string) {
    this.file = new LineFile(path);
  }

  read(offset: number, bytes: number): string {
    let text = this.file.readText({ offset, bytes });
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return offset === 0 ? text.replace(/^\uFEFF/, '') : text;
  }

  close(): void {
    this.file.close();
  }
}
