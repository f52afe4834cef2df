/**
 * `synthloom quality PATH [--json] [--fix --out FILE]`: the quality report of a session directory or a
 * JSONL file. Exit 0 when every LlamaFarm threshold passes (or has nothing to measure), 1 when one fails;
 * with --fix, 0 once the fixed file is written. Bad usage or unreadable input: exit 2, one line.
 */
import { parseCommand } from './args.js';
import { UsageError } from '../core/errors.js';
import { qualityReport } from '../core/quality/report/index.js';
import { writeFixed } from '../core/quality/report/fix.js';
import { renderReport } from '../core/quality/report/render.js';
import type { CommandIO } from './export.js';

export const QUALITY_USAGE = 'usage: synthloom quality PATH [--json] [--fix --out FILE]';

export async function qualityCommand(argv: string[], io: CommandIO & { stderr: NodeJS.WritableStream & { isTTY?: boolean } }): Promise<number> {
  const parsed = parseCommand('quality', QUALITY_USAGE, argv, { json: { type: 'boolean' }, fix: { type: 'boolean' }, out: { type: 'string' } });
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${QUALITY_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `quality: give a session directory or a JSONL file (${QUALITY_USAGE})` : `quality: unexpected argument "${positionals[1]}"`);
  if (values.fix && !values.out) throw new UsageError('quality: --fix needs --out FILE (the input is never changed)');
  if (values.out && !values.fix) throw new UsageError('quality: --out is for --fix');

  const tty = Boolean(io.stderr.isTTY);
  const report = qualityReport(positionals[0] as string, {
    onProgress: tty ? (rows) => io.stderr.write(`\rquality: ${rows.toLocaleString('en-US')} rows read…`) : undefined,
  });
  if (tty && report.rows >= 5000) io.stderr.write('\r\u001b[K');

  if (values.fix) {
    const fixed = writeFixed(report, values.out as string);
    const summary = { fixed: fixed.path, kept: fixed.kept, dropped: fixed.dropped };
    if (values.json) io.stdout.write(`${JSON.stringify({ ...report, ...summary })}\n`);
    else io.stdout.write(`${renderReport(report, { ascii: asciiOnly() }).join('\n')}\n\nwrote ${fixed.path}: ${fixed.kept} rows kept, ${fixed.dropped} left out\n`);
    return 0;
  }
  if (values.json) io.stdout.write(`${JSON.stringify(report)}\n`);
  else io.stdout.write(`${renderReport(report, { ascii: asciiOnly() }).join('\n')}\n`);
  return report.thresholds.some((t) => t.pass === false) ? 1 : 0;
}

/** Plain `#` bars for a terminal that cannot draw block characters. */
function asciiOnly(): boolean {
  return process.env.TERM === 'dumb' || process.env.SYNTHLOOM_ASCII === '1';
}
