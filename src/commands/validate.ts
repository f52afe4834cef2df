/** `synthloom validate FILE.jsonl... [--format F] [--json]`: exit 1 when any file has an error, 0 otherwise. */
import { parseCommand } from './args.js';
import { UsageError } from '../core/errors.js';
import { jsonForTerminal } from '../core/sanitize.js';
import { validateFile } from '../core/validate/index.js';
import { formatReport } from '../core/validate/report.js';
import type { CommandIO } from './export.js';
import { parseFormat } from './export.js';

export const VALIDATE_USAGE = 'usage: synthloom validate FILE.jsonl... [--format openai|trl|alpaca|sharegpt] [--max-problems N] [--json]';

export async function validateCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommand('validate', VALIDATE_USAGE, argv, {
    format: { type: 'string' },
    'max-problems': { type: 'string' },
    json: { type: 'boolean' },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${VALIDATE_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`validate: give a FILE.jsonl to check (${VALIDATE_USAGE})`);
  const format = values.format === undefined ? undefined : parseFormat(values.format, '--format');
  let maxProblems = 50;
  if (values['max-problems'] !== undefined) {
    if (!/^\d{1,9}$/.test(values['max-problems'])) throw new UsageError('--max-problems: must be a whole number');
    maxProblems = Number(values['max-problems']);
  }

  const reports = positionals.map((file) => validateFile(file, format ? { format } : {}));
  if (values.json) for (const r of reports) io.stdout.write(`${jsonForTerminal(r)}\n`);
  else io.stdout.write(reports.map((r) => formatReport(r, maxProblems)).join('\n') + '\n');
  return reports.some((r) => r.errors > 0) ? 1 : 0;
}
