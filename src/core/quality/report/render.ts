/** The plain-text quality report: figures, the LlamaFarm thresholds pass/fail, line numbers, and the charts. */
import { oneLine, thousands } from '../../export/text.js';
import { lengthChart, scoreChart, sharesChart, type ChartOptions } from '../charts.js';
import type { QualityReport, ThresholdCheck } from './types.js';

/** How many line numbers a list shows before "and N more" (the --json report has them all). */
const MAX_LISTED = 20;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function lines(numbers: readonly number[]): string {
  const shown = numbers.slice(0, MAX_LISTED).join(', ');
  return numbers.length > MAX_LISTED ? `${shown} and ${numbers.length - MAX_LISTED} more` : shown;
}

function thresholdLine(t: ThresholdCheck): string {
  const mark = t.pass === null ? 'n/a ' : t.pass ? 'pass' : 'FAIL';
  const value = t.value === null ? 'no judge scores' : t.name === 'min_quality_score' ? t.value.toFixed(2) : pct(t.value);
  const limit = t.name === 'min_quality_score' ? t.limit.toFixed(2) : pct(t.limit);
  return `  ${mark}  ${t.name.padEnd(25)} ${value.padStart(15)}  (${t.op} ${limit})`;
}

export function renderReport(r: QualityReport, chart: ChartOptions = {}): string[] {
  const out: string[] = [];
  out.push(`quality report: ${oneLine(r.source.path)} (${r.source.kind}, ${thousands(r.rows)} rows)`);
  const shapes = Object.entries(r.shapes).map(([k, n]) => `${k} ${n}`).join(', ');
  if (shapes) out.push(`  row shapes: ${shapes}`);
  if (r.unreadable_lines.length > 0) out.push(`  unreadable lines (not JSON or no known shape): ${r.unreadable_lines.length}: ${lines(r.unreadable_lines)}`);

  out.push('', 'thresholds (LlamaFarm quality control)', ...r.thresholds.map(thresholdLine));

  out.push('', 'duplicates');
  out.push(`  exact: ${r.duplicates.exact.length}${r.duplicates.exact.length ? `: ${r.duplicates.exact.slice(0, MAX_LISTED).map((d) => `${d.line} = ${d.of}`).join(', ')}` : ''}`);
  out.push(`  near (word 3-shingle Jaccard >= 0.8): ${r.duplicates.near.length}${r.duplicates.near.length ? `: ${r.duplicates.near.slice(0, MAX_LISTED).map((d) => `${d.line} ~ ${d.of} (${d.similarity.toFixed(2)})`).join(', ')}` : ''}`);
  for (const list of [r.duplicates.exact, r.duplicates.near]) if (list.length > MAX_LISTED) out.push(`  … ${list.length - MAX_LISTED} more in --json`);

  out.push('', 'diversity');
  out.push(`  unique instruction ratio: ${pct(r.unique_instruction_ratio)}`);
  out.push(`  vocabulary: ${thousands(r.vocabulary)} words`);
  out.push(`  distinct-1: ${r.distinct_1.toFixed(3)}  distinct-2: ${r.distinct_2.toFixed(3)} (assistant turns)`);

  const l = r.length;
  out.push('', `length: ${l.unit}`);
  out.push(`  min ${l.min}  q1 ${l.q1.toFixed(0)}  median ${l.median.toFixed(0)}  q3 ${l.q3.toFixed(0)}  max ${l.max}  mean ${l.mean.toFixed(1)}`);
  out.push(`  outliers (outside Q1 - 3·IQR .. Q3 + 3·IQR = ${Math.max(0, l.fences.low).toFixed(0)}..${l.fences.high.toFixed(0)}): ${l.outliers.length}${l.outliers.length ? `: lines ${lines(l.outliers.map((o) => o.line))}` : ''}`);
  out.push(...lengthChart(l, chart).map((s) => `  ${s}`));

  out.push('', 'personal data');
  const hits = Object.entries(r.pii.hits).map(([k, n]) => `${k} ${n}`).join(', ');
  out.push(`  rows with PII: ${r.pii.rows.length}${r.pii.rows.length ? ` (${hits}): lines ${lines(r.pii.rows.map((p) => p.line))}` : ''}`);

  if (r.categories.length > 0) out.push('', r.categories.some((c) => c.planned !== null) ? 'categories (vs plan)' : 'categories', ...sharesChart(r.categories, chart).map((s) => `  ${s}`));
  if (r.turns.length > 0) out.push('', r.turns.some((c) => c.planned !== null) ? 'user turns (vs plan)' : 'user turns', ...sharesChart(r.turns, chart).map((s) => `  ${s}`));

  if (r.scores) {
    out.push('', `judge scores (${r.scores.scored} rows, mean ${r.scores.mean.toFixed(2)}, min ${r.scores.min.toFixed(2)})`);
    out.push(...scoreChart(r.scores, chart).map((s) => `  ${s}`));
    if (r.scores.below_min.length) out.push(`  under the minimum quality score: lines ${lines(r.scores.below_min)}`);
  }
  out.push('', `--fix would leave out ${r.rejected_lines.length} line(s)${r.rejected_lines.length ? `: ${lines(r.rejected_lines)}` : ''}`);
  return out;
}

/** One line for dataset_info.txt-style summaries: each threshold with its mark. */
export function thresholdSummary(r: QualityReport): string[] {
  return r.thresholds.map(thresholdLine);
}

/** The quality section of dataset_info.txt: no line numbers or paths, so it does not depend on the order of samples.jsonl. */
export function qualitySummary(r: QualityReport): string[] {
  return [
    `  duplicates: ${r.duplicates.exact.length} exact, ${r.duplicates.near.length} near (${pct(r.duplicates.ratio)} of ${r.rows} rows)`,
    `  unique instruction ratio ${pct(r.unique_instruction_ratio)}; vocabulary ${thousands(r.vocabulary)} words; distinct-1 ${r.distinct_1.toFixed(3)}, distinct-2 ${r.distinct_2.toFixed(3)}`,
    `  assistant tokens per row: median ${r.length.median.toFixed(0)}, q1 ${r.length.q1.toFixed(0)}, q3 ${r.length.q3.toFixed(0)}, max ${r.length.max}; ${r.length.outliers.length} outliers`,
    `  rows with PII: ${r.pii.rows.length}`,
    ...(r.scores ? [`  judge scores: ${r.scores.scored} rows, mean ${r.scores.mean.toFixed(2)}, min ${r.scores.min.toFixed(2)}`] : []),
    ...r.thresholds.map(thresholdLine),
  ];
}
