/**
 * Builds the quality report in one pass over the rows (each line parsed once, no text kept), then groups
 * duplicates with the export's MinHash grouping (export/near-duplicates.ts) over word 3-shingles.
 * A text is read back from its line only when its hash equals an earlier one's.
 */
import { UsageError } from '../../errors.js';
import { forEachLine } from '../../files.js';
import { LineFile, type LineAt } from '../../export/jsonl.js';
import { duplicateGroups, jaccard } from '../../export/near-duplicates.js';
import { conversationText, ShingleStore } from '../../export/shingles.js';
import { normalizeFast } from './normalize.js';
import { hashText } from '../../minhash.js';
import { normalizedScore } from '../judge.js';
import { findPii, type PiiKind } from '../pii.js';
import { countTokensFast } from '../fast-tokens.js';
import { readRow, type ReportRow, type RowShape } from './rows.js';
import { openSource, type ReportSource } from './source.js';
import { DistinctCounter, distribution, fences, histogram } from './stats.js';
import { type QualityReport, type ShareRow, THRESHOLDS, type ThresholdCheck } from './types.js';

export type { QualityReport, ThresholdCheck, ShareRow } from './types.js';
export { THRESHOLDS } from './types.js';

export interface ReportOptions {
  /** Called every few thousand rows with the rows read so far (progress for long files). */
  onProgress?: (rows: number) => void;
}

/** The report of a JSONL file or a session directory. Throws UsageError on unreadable input. */
export function qualityReport(path: string, opts: ReportOptions = {}): QualityReport {
  const source = openSource(path);
  const report = reportOf(source, opts);
  if (report.rows === 0) {
    const bad = report.unreadable_lines.length;
    throw new UsageError(`${source.file}: no rows to report on${bad ? ` (${bad} line(s) are not JSON rows in the openai, trl, alpaca or sharegpt shape, the first at line ${report.unreadable_lines[0]})` : ' (the file is empty)'}`);
  }
  return report;
}

interface Tally {
  lines: number[];
  at: LineAt[];
  tokens: number[];
  turns: number[];
  categories: (string | null)[];
  scores: { line: number; score: number }[];
  pii: QualityReport['pii']['rows'];
  piiHits: Partial<Record<PiiKind, number>>;
  unreadable: number[];
  shapes: Partial<Record<RowShape, number>>;
  instructions: Set<number>;
}

function tallyRow(row: ReportRow, line: number, t: Tally, store: ShingleStore, words: DistinctCounter): void {
  let tokens = 0;
  const kinds: Partial<Record<PiiKind, number>> = {};
  let piiFound = false;
  let userTurns = 0;
  let instruction: string | null = null;
  // normalizeText(conversationText(row)), built from each turn normalized once (the parts are joined by
  // whitespace, which normalizeText collapses to one space).
  const parts: string[] = [];
  for (const m of row.messages) {
    if (m.role === 'system') continue;
    const normalized = normalizeFast(m.content);
    if (normalized) parts.push(normalized);
    for (const call of m.tool_calls ?? []) {
      for (const piece of [call.function.name, call.function.arguments]) {
        const n = normalizeFast(piece);
        if (n) parts.push(n);
      }
    }
    if (m.role === 'user') {
      userTurns++;
      instruction ??= normalized;
    }
    if (m.role === 'assistant') {
      tokens += countTokensFast(m.content);
      words.addResponse(normalized);
    } else words.addText(normalized);
    const texts = m.tool_calls ? [m.content, ...m.tool_calls.map((c) => c.function.arguments)] : [m.content];
    for (const hit of texts.flatMap(findPii)) {
      kinds[hit.kind] = (kinds[hit.kind] ?? 0) + 1;
      t.piiHits[hit.kind] = (t.piiHits[hit.kind] ?? 0) + 1;
      piiFound = true;
    }
  }
  store.addNormalized(parts.join(' '));
  if (piiFound) t.pii.push({ line, kinds });
  t.tokens.push(tokens);
  t.turns.push(userTurns);
  t.categories.push(row.category);
  if (row.score !== null) t.scores.push({ line, score: row.score });
  t.instructions.add(hashText(instruction ?? ''));
  t.shapes[row.shape] = (t.shapes[row.shape] ?? 0) + 1;
}

export function reportOf(source: ReportSource, opts: ReportOptions = {}): QualityReport {
  const t: Tally = { lines: [], at: [], tokens: [], turns: [], categories: [], scores: [], pii: [], piiHits: {}, unreadable: [], shapes: {}, instructions: new Set() };
  const store = new ShingleStore();
  const words = new DistinctCounter();
  forEachLine(source.file, ({ line: raw, number, offset }) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      t.unreadable.push(number);
      return;
    }
    if (source.removed.size > 0 && typeof (value as { id?: unknown })?.id === 'string' && source.removed.has((value as { id: string }).id)) return;
    const row = readRow(value);
    if (!row) {
      t.unreadable.push(number);
      return;
    }
    t.lines.push(number);
    t.at.push({ offset, bytes: Buffer.byteLength(raw) });
    tallyRow(row, number, t, store, words);
    if (opts.onProgress && t.lines.length % 5000 === 0) opts.onProgress(t.lines.length);
  });
  const n = t.lines.length;
  const duplicates = findDuplicates(source.file, t, store);
  const length = lengthReport(t);
  const scores = scoreReport(t);
  const dupRatio = n ? (duplicates.exact.length + duplicates.near.length) / n : 0;
  const uniqueRatio = n ? t.instructions.size / n : 0;
  const piiRatio = n ? t.pii.length / n : 0;
  const thresholds: ThresholdCheck[] = [
    check('duplicate_ratio', '<=', THRESHOLDS.duplicate_ratio, dupRatio),
    check('unique_instruction_ratio', '>=', THRESHOLDS.unique_instruction_ratio, uniqueRatio),
    check('pii_ratio', '<=', THRESHOLDS.pii_ratio, piiRatio),
    check('length_outlier_ratio', '<=', THRESHOLDS.length_outlier_ratio, length.outlier_ratio),
    check('min_quality_score', '>=', THRESHOLDS.min_quality_score, scores ? normalizedScore(scores.min) : null),
  ];
  const rejected = new Set<number>([
    ...duplicates.exact.map((d) => d.line),
    ...duplicates.near.map((d) => d.line),
    ...t.pii.map((p) => p.line),
    ...length.outliers.map((o) => o.line),
    ...(scores?.below_min ?? []),
    ...t.unreadable,
  ]);
  return {
    version: 1,
    source: { path: source.path, kind: source.kind, file: source.file },
    rows: n,
    unreadable_lines: t.unreadable,
    shapes: t.shapes,
    duplicates: { ...duplicates, ratio: dupRatio },
    unique_instruction_ratio: uniqueRatio,
    vocabulary: words.vocabulary,
    distinct_1: words.distinct1(),
    distinct_2: words.distinct2(),
    length,
    pii: { rows: t.pii, hits: t.piiHits, ratio: piiRatio },
    categories: shares(t.categories.filter((c): c is string => c !== null), source.plan?.categories.map((c) => [c.name, c.target]) ?? null),
    turns: shares(t.turns.map((x) => (x === 1 ? 'single-turn' : `${x} turns`)), source.plan?.turns.map((x) => [x.turns === 1 ? 'single-turn' : `${x.turns} turns`, x.target]) ?? null),
    scores,
    thresholds,
    rejected_lines: [...rejected].sort((a, b) => a - b),
  };
}

function check(name: ThresholdCheck['name'], op: ThresholdCheck['op'], limit: number, value: number | null): ThresholdCheck {
  const pass = value === null ? null : op === '<=' ? value <= limit + 1e-12 : value >= limit - 1e-12;
  return { name, op, limit, value, pass };
}

function findDuplicates(file: string, t: Tally, store: ShingleStore): Pick<QualityReport['duplicates'], 'exact' | 'near'> {
  const exact: QualityReport['duplicates']['exact'] = [];
  const near: QualityReport['duplicates']['near'] = [];
  if (t.lines.length === 0) return { exact, near };
  const lines = new LineFile(file);
  const texts = new Map<number, string>();
  const normalized = (i: number): string => {
    let s = texts.get(i);
    if (s === undefined) {
      const row = readRow(lines.read(t.at[i] as LineAt));
      s = row ? normalizeFast(conversationText(row)) : '';
      texts.set(i, s);
    }
    return s;
  };
  try {
    const { groups } = duplicateGroups({ count: t.lines.length, shingles: (i) => store.shingles(i), textHash: (i) => store.textHash(i), normalizedText: normalized });
    for (const group of groups) {
      if (group.length < 2) continue;
      const first = group[0] as number;
      // Earlier members by text hash, so a large group is not scanned once per member.
      const byHash = new Map<number, number[]>([[store.textHash(first), [first]]]);
      for (let k = 1; k < group.length; k++) {
        const i = group[k] as number;
        const sameHash = byHash.get(store.textHash(i));
        const same = sameHash?.find((j) => normalized(j) === normalized(i));
        if (sameHash) sameHash.push(i);
        else byHash.set(store.textHash(i), [i]);
        if (same !== undefined) exact.push({ line: t.lines[i] as number, of: t.lines[same] as number });
        else near.push({ line: t.lines[i] as number, of: t.lines[first] as number, similarity: Math.round(jaccard(store.shingles(first), store.shingles(i)) * 1000) / 1000 });
      }
    }
  } finally {
    lines.close();
  }
  exact.sort((a, b) => a.line - b.line);
  near.sort((a, b) => a.line - b.line);
  return { exact, near };
}

function lengthReport(t: Tally): QualityReport['length'] {
  const { sorted, ...d } = distribution(t.tokens);
  const f = fences(d);
  const outliers = t.tokens.flatMap((tokens, i) => (tokens < f.low || tokens > f.high ? [{ line: t.lines[i] as number, tokens }] : []));
  const inside = sorted.filter((v) => v >= f.low && v <= f.high);
  const hist = histogram(t.tokens, 10, inside[0] ?? 0, inside[inside.length - 1] ?? 0);
  return { unit: 'assistant tokens per row (o200k)', ...d, fences: f, histogram: hist, outliers, outlier_ratio: t.tokens.length ? outliers.length / t.tokens.length : 0 };
}

function scoreReport(t: Tally): QualityReport['scores'] {
  if (t.scores.length === 0) return null;
  const values = t.scores.map((s) => s.score);
  const hist = [1, 2, 3, 4, 5].map((score) => ({ score, count: values.filter((v) => Math.min(5, Math.max(1, Math.round(v))) === score).length }));
  return {
    scored: values.length,
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
    histogram: hist,
    below_min: t.scores.filter((s) => normalizedScore(s.score) < THRESHOLDS.min_quality_score - 1e-12).map((s) => s.line),
  };
}

/** Shares of each value, against the planned counts when there are any (planned values absent from the rows included). */
function shares(values: readonly string[], planned: [string, number][] | null): ShareRow[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const plan = new Map(planned ?? []);
  const plannedTotal = [...plan.values()].reduce((a, b) => a + b, 0);
  const names = [...new Set([...plan.keys(), ...counts.keys()])];
  return names.map((name) => {
    const p = planned ? (plan.get(name) ?? 0) : null;
    const actual = counts.get(name) ?? 0;
    return { name, actual, actual_share: values.length ? actual / values.length : 0, planned: p, planned_share: p === null || plannedTotal === 0 ? null : p / plannedTotal };
  });
}
