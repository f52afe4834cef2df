/**
 * `synthloom import LOGS... --out SESSION_DIR [--where FIELD OP VALUE]... [--max-turns N] [--long cut|drop]
 * [--system keep|drop|replace:TEXT] [--pii redact|reject|off] [--category FIELD] [--from F] [--skip-bad]`:
 * conversation logs into a session (docs/data-tools.md).
 */
import { parseWhere } from '../core/convert/filters.js';
import type { LongMode, PiiMode, SystemMode } from '../core/convert/import-rows.js';
import { importLogs } from '../core/convert/import.js';
import { UsageError } from '../core/errors.js';
import { oneLine } from '../core/export/text.js';
import { progressPrinter } from './data-progress.js';
import { help, parseCommand, parseFrom } from './data-tools.js';
import type { CommandIO } from './export.js';

export const IMPORT_USAGE =
  'usage: synthloom import LOGS.jsonl... --out SESSION_DIR [--where FIELD OP VALUE]... [--max-turns N] [--long cut|drop] ' +
  '[--system keep|drop|replace:TEXT] [--pii redact|reject|off] [--category FIELD] [--from F] [--skip-bad] [--json]';

export function parseSystem(value: string | undefined): SystemMode {
  if (value === undefined || value === 'keep') return { mode: 'keep' };
  if (value === 'drop') return { mode: 'drop' };
  if (value.startsWith('replace:') && value.length > 'replace:'.length) return { mode: 'replace', text: value.slice('replace:'.length) };
  throw new UsageError(`--system: must be keep, drop or replace:TEXT (got ${JSON.stringify(value)})`);
}

export async function importCommand(argv: string[], io: CommandIO): Promise<number> {
  const options = {
    out: { type: 'string' },
    where: { type: 'string', multiple: true },
    'max-turns': { type: 'string' },
    long: { type: 'string' },
    system: { type: 'string' },
    pii: { type: 'string' },
    category: { type: 'string' },
    from: { type: 'string' },
    'skip-bad': { type: 'boolean' },
    json: { type: 'boolean' },
  } as const;
  const { values, positionals } = parseCommand('import', IMPORT_USAGE, argv, options);
  if (values.help) return help(io, IMPORT_USAGE);
  if (positionals.length === 0) throw new UsageError(`import: give the LOGS file(s) to import (${IMPORT_USAGE})`);
  if (!values.out) throw new UsageError(`import: --out SESSION_DIR is required (${IMPORT_USAGE})`);
  let maxTurns: number | undefined;
  if (values['max-turns'] !== undefined) {
    if (!/^\d{1,4}$/.test(values['max-turns']) || Number(values['max-turns']) < 1) throw new UsageError('--max-turns: must be a whole number of at least 1');
    maxTurns = Number(values['max-turns']);
  }
  const long = values.long ?? 'cut';
  if (long !== 'cut' && long !== 'drop') throw new UsageError(`--long: must be cut or drop (got ${JSON.stringify(long)})`);
  const pii = values.pii ?? 'redact';
  if (pii !== 'redact' && pii !== 'reject' && pii !== 'off') throw new UsageError(`--pii: must be redact, reject or off (got ${JSON.stringify(pii)})`);
  const progress = progressPrinter(io.stderr, 'import');
  let result;
  try {
    result = importLogs(positionals, {
      out: values.out,
      from: parseFrom(values.from),
      where: (values.where ?? []).map(parseWhere),
      long: long as LongMode,
      pii: pii as PiiMode,
      system: parseSystem(values.system),
      skipBad: Boolean(values['skip-bad']),
      onProgress: progress.onProgress,
      ...(maxTurns !== undefined ? { maxTurns } : {}),
      ...(values.category ? { categoryField: values.category } : {}),
    });
  } finally {
    progress.done();
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const lines = [`imported ${result.imported} of ${result.read} conversations into ${result.dir}`];
  for (const f of result.filtered) lines.push(`  --where ${oneLine(f.filter)}: ${f.rows} left out`);
  if (maxTurns !== undefined) lines.push(`  over ${maxTurns} turn(s): ${long === 'drop' ? `${result.tooLong} left out` : `${result.cut} cut`}`);
  const hits = Object.entries(result.pii.hits).map(([k, n]) => `${n} ${k}`).join(', ');
  if (result.pii.mode === 'redact') lines.push(`  PII redacted: ${result.pii.rows} conversation(s)${hits ? ` (${hits})` : ''}`);
  if (result.pii.mode === 'reject') lines.push(`  PII: ${result.pii.rejected} conversation(s) rejected${hits ? ` (${hits})` : ''}`);
  for (const note of result.notes) lines.push(`note: ${oneLine(note)}`);
  lines.push(`next: synthloom export ${result.dir}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
