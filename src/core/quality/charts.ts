/**
 * Charts as text lines, for the plain report and the TUI quality view alike: horizontal bars in Unicode
 * eighth blocks (or `#` when `ascii`), one row per label, the figure after the bar. Labels are data (model
 * output, file contents) and are flattened to one safe line here.
 */
import { oneLine } from '../export/text.js';
import type { QualityReport } from './report/types.js';

export interface ChartOptions {
  /** Width of the longest bar in cells. */
  width?: number;
  ascii?: boolean;
  /** Longest label kept; longer ones end in `…`. */
  labelWidth?: number;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar `cells` long (fractions in eighths; ASCII rounds to whole cells). */
export function bar(cells: number, ascii = false): string {
  const c = Math.max(0, cells);
  if (ascii) return '#'.repeat(Math.round(c));
  const whole = Math.floor(c);
  return '█'.repeat(whole) + (EIGHTHS[Math.round((c - whole) * 8)] ?? '');
}

function label(text: string, width: number): string {
  const flat = oneLine(text);
  return (flat.length > width ? `${flat.slice(0, width - 1)}…` : flat).padEnd(width);
}

export interface BarRow {
  label: string;
  value: number;
  /** Shown after the bar: defaults to the value. */
  note?: string;
}

export function barChart(rows: readonly BarRow[], opts: ChartOptions = {}): string[] {
  const width = opts.width ?? 30;
  const max = rows.reduce((m, r) => Math.max(m, r.value), 0);
  const lw = Math.min(opts.labelWidth ?? 24, rows.reduce((m, r) => Math.max(m, oneLine(r.label).length), 1));
  return rows.map((r) => {
    const cells = max === 0 ? 0 : (r.value / max) * width;
    const drawn = bar(cells, opts.ascii);
    const pad = ' '.repeat(Math.max(0, width + 1 - [...drawn].length));
    return `${label(r.label, lw)} │${drawn}${pad}${r.note ?? String(r.value)}`;
  });
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Categories (or turn counts): the actual share as the bar, with the planned share beside it when there is a plan. */
export function sharesChart(rows: QualityReport['categories'], opts: ChartOptions = {}): string[] {
  return barChart(
    rows.map((r) => ({
      label: r.name,
      value: r.actual_share,
      note: `${pct(r.actual_share)} (${r.actual})${r.planned_share === null ? '' : ` · plan ${pct(r.planned_share)} (${r.planned})`}`,
    })),
    opts,
  );
}

export function lengthChart(length: QualityReport['length'], opts: ChartOptions = {}): string[] {
  const rows: BarRow[] = length.histogram.map((b) => ({ label: b.from === b.to ? `${b.from}` : `${b.from}-${b.to}`, value: b.count }));
  if (length.outliers.length > 0) rows.push({ label: 'outliers', value: length.outliers.length });
  return barChart(rows, { labelWidth: 14, ...opts });
}

export function scoreChart(scores: NonNullable<QualityReport['scores']>, opts: ChartOptions = {}): string[] {
  return barChart(scores.histogram.map((h) => ({ label: `${h.score}`, value: h.count })), opts);
}
