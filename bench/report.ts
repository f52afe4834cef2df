/** The benchmark table: one row per figure with its target and PASS/FAIL, and the notes that define them. */

export interface Figure {
  /** The benchmark it belongs to (the NAME of `--only NAME`). */
  bench: string;
  figure: string;
  target: string;
  result: string;
  /** null: reported for information, no target. */
  pass: boolean | null;
}

export interface BenchOutcome {
  figures: Figure[];
  /** How the figures were measured, and the raw numbers behind them. */
  notes: string[];
}

export function verdict(pass: boolean | null): string {
  return pass === null ? '' : pass ? 'PASS' : 'FAIL';
}

export function formatTable(figures: Figure[]): string {
  const rows = [['figure', 'target', 'result', 'verdict'], ...figures.map((f) => [f.figure, f.target, f.result, verdict(f.pass)])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  ').trimEnd(), ...rows.slice(1).map(line)].join('\n');
}

export const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
