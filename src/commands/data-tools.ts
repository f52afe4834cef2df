/**
 * `synthloom convert FILE --to F [--from auto|F] --out FILE` and `synthloom split FILE [--splits a,b,c]
 * [--seed N] [--stratify FIELD] --out DIR`: the export's format writers and splitter on rows the user
 * already has (docs/data-tools.md).
 */
import { convertFile } from '../core/convert/convert.js';
import { SOURCE_FORMATS, type SourceFormat } from '../core/convert/readers/index.js';
import type { FromFormat } from '../core/convert/rows.js';
import { splitFile } from '../core/convert/split.js';
import { UsageError } from '../core/errors.js';
import { oneLine } from '../core/export/text.js';
import { progressPrinter } from './data-progress.js';
import { type CommandIO, parseFormat, parseSplits } from './export.js';

export const CONVERT_USAGE =
  'usage: synthloom convert FILE --to openai|trl|alpaca|sharegpt [--from auto|openai|trl|alpaca|sharegpt] [--trl-style messages|prompt-completion] --out FILE [--skip-bad] [--json]';
export const SPLIT_USAGE = 'usage: synthloom split FILE [--splits 0.8,0.1,0.1] [--seed N] [--stratify FIELD] [--from F] --out DIR [--skip-bad] [--json]';

import { parseCommand } from './args.js';

export { parseCommand };

export function parseFrom(value: string | undefined): FromFormat {
  if (value === undefined || value === 'auto') return 'auto';
  if (!(SOURCE_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--from: must be auto or one of ${SOURCE_FORMATS.join(', ')} (got ${JSON.stringify(value)})`);
  return value as SourceFormat;
}

function one(verb: string, positionals: string[], usage: string, what: string): string {
  if (positionals.length !== 1) throw new UsageError(`${verb}: give exactly one ${what} (${usage})`);
  return positionals[0] as string;
}

function needOut(verb: string, out: string | undefined, usage: string): string {
  if (!out) throw new UsageError(`${verb}: --out is required (${usage})`);
  return out;
}

export async function convertCommand(argv: string[], io: CommandIO): Promise<number> {
  const options = { to: { type: 'string' }, from: { type: 'string' }, out: { type: 'string' }, 'trl-style': { type: 'string' }, 'skip-bad': { type: 'boolean' }, json: { type: 'boolean' } } as const;
  const { values, positionals } = parseCommand('convert', CONVERT_USAGE, argv, options);
  if (values.help) return help(io, CONVERT_USAGE);
  const file = one('convert', positionals, CONVERT_USAGE, 'FILE');
  if (values.to === undefined) throw new UsageError(`convert: --to is required (${CONVERT_USAGE})`);
  const to = parseFormat(values.to, '--to');
  const style = values['trl-style'];
  if (style !== undefined && style !== 'messages' && style !== 'prompt-completion') throw new UsageError(`--trl-style: must be messages or prompt-completion (got ${JSON.stringify(style)})`);
  const progress = progressPrinter(io.stderr, 'convert');
  let result;
  try {
    result = convertFile(file, { from: parseFrom(values.from), to, out: needOut('convert', values.out, CONVERT_USAGE), skipBad: Boolean(values['skip-bad']), onProgress: progress.onProgress, ...(style ? { trlStyle: style } : {}) });
  } finally {
    progress.done();
  }
  if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const lines = [`converted ${file} (${result.from}) to ${result.out} (${result.to}): ${result.written} of ${result.read} rows written`];
    for (const note of result.notes) lines.push(`note: ${oneLine(note)}`);
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

export async function splitCommand(argv: string[], io: CommandIO): Promise<number> {
  const options = { splits: { type: 'string' }, seed: { type: 'string' }, stratify: { type: 'string' }, from: { type: 'string' }, out: { type: 'string' }, 'skip-bad': { type: 'boolean' }, json: { type: 'boolean' } } as const;
  const { values, positionals } = parseCommand('split', SPLIT_USAGE, argv, options);
  if (values.help) return help(io, SPLIT_USAGE);
  const file = one('split', positionals, SPLIT_USAGE, 'FILE');
  if (values.seed !== undefined && !/^-?\d{1,15}$/.test(values.seed)) throw new UsageError(`--seed: must be a whole number (got ${JSON.stringify(values.seed)})`);
  if (values.stratify !== undefined && values.stratify.trim() === '') throw new UsageError('--stratify: give a field name such as category or metadata.topic');
  const progress = progressPrinter(io.stderr, 'split');
  let result;
  try {
    result = splitFile(file, {
      ratios: parseSplits(values.splits ?? '0.8,0.1,0.1'),
      seed: values.seed === undefined ? 42 : Number(values.seed),
      out: needOut('split', values.out, SPLIT_USAGE),
      from: parseFrom(values.from),
      skipBad: Boolean(values['skip-bad']),
      onProgress: progress.onProgress,
      ...(values.stratify ? { stratify: values.stratify } : {}),
    });
  } finally {
    progress.done();
  }
  if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const lines = [`split ${file} (${result.format}, ${result.rows} rows) into ${values.out}:`];
    for (const f of result.files) lines.push(`  ${f.split.padEnd(10)} ${String(f.rows).padStart(8)} rows  ${f.path}`);
    lines.push(`  near-duplicate groups kept whole in one split: ${result.nearDuplicateGroups} (${result.rowsInGroups} rows)`);
    for (const c of result.categories) lines.push(`  ${oneLine(c.name || '(no value)').slice(0, 40).padEnd(40)} ${c.rows.join(' / ')}`);
    for (const note of result.notes) lines.push(`note: ${oneLine(note)}`);
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

export function help(io: CommandIO, usage: string): number {
  io.stdout.write(`${usage}\n`);
  return 0;
}
