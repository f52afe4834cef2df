/** The validation report as text: each problem with its line number (capped), then a summary with token statistics. */
import { sanitizeLine } from '../sanitize.js';
import type { ValidationReport } from './index.js';

export const DEFAULT_MAX_PROBLEMS = 50;

export function formatReport(report: ValidationReport, maxProblems = DEFAULT_MAX_PROBLEMS): string {
  const out: string[] = [];
  const how = report.format === null ? 'format unknown' : `${report.format} format${report.detected ? ' (detected)' : ''}`;
  out.push(`${printable(report.file)}: ${how}, ${report.rows} example${report.rows === 1 ? '' : 's'}`);
  for (const p of report.problems.slice(0, maxProblems)) {
    out.push(`${p.line > 0 ? `line ${p.line}` : 'file'}: ${p.severity}: ${printable(p.message)}`);
  }
  const hidden = report.problems.length - maxProblems;
  if (hidden > 0) out.push(`... and ${hidden} more problem${hidden === 1 ? '' : 's'}`);
  const t = report.tokens;
  if (t.examples > 0) {
    out.push(
      `tokens per example: min ${fmt(t.min)}, mean ${t.mean.toFixed(1)}, max ${fmt(t.max)}; total ${fmt(t.total)}; ` +
        `${t.overLimit} over the ${fmt(t.limit)}-token limit`,
    );
    // The epochs heuristic is OpenAI fine-tuning's: other trainers choose epochs themselves.
    if (report.format === 'openai') out.push(`OpenAI epochs heuristic: ${t.epochs} epoch${t.epochs === 1 ? '' : 's'}, about ${fmt(t.billedTokens)} billed training tokens`);
  }
  const counts = `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
  out.push(report.errors > 0 ? `FAILED: ${counts}` : `OK: ${counts}`);
  return `${out.join('\n')}\n`;
}

/** Messages can quote the file (JSON parse errors do): never let its control or escape characters reach a terminal. */
function printable(text: string): string {
  return sanitizeLine(text);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
