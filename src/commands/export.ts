/** `synthloom export SESSION_DIR [--format F] [--splits a,b,c] [--seed N] [--trl-style S] [--parallel-calls keep|split]`: rebuilds SESSION_DIR/dataset/. */
import { existsSync, statSync } from 'node:fs';
import { EXPORT_FORMATS, type ExportFormat } from '../core/config.js';
import { parseCommand } from './args.js';
import { UsageError } from '../core/errors.js';
import { exportSession, type ExportOptions } from '../core/export/index.js';
import { oneLine } from '../core/export/text.js';
import type { SplitRatios } from '../core/export/splits.js';

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const EXPORT_USAGE =
  'usage: synthloom export SESSION_DIR [--format openai|trl|alpaca|sharegpt] [--splits 0.8,0.1,0.1] [--seed N] [--trl-style messages|prompt-completion] [--parallel-calls keep|split]';

export async function exportCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`export: give exactly one SESSION_DIR (${EXPORT_USAGE})`);
  const dir = positionals[0] as string;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`session directory not found: ${dir}`);

  const opts: ExportOptions = {};
  if (values.format !== undefined) opts.format = parseFormat(values.format, '--format');
  if (values.splits !== undefined) opts.splits = parseSplits(values.splits);
  if (values.seed !== undefined) opts.seed = parseSeed(values.seed);
  if (values['trl-style'] !== undefined) {
    const style = values['trl-style'];
    if (style !== 'messages' && style !== 'prompt-completion') {
      throw new UsageError(`--trl-style: must be messages or prompt-completion (got ${JSON.stringify(style)})`);
    }
    opts.trlStyle = style;
  }
  if (values['parallel-calls'] !== undefined) {
    const mode = values['parallel-calls'];
    if (mode !== 'keep' && mode !== 'split') throw new UsageError(`--parallel-calls: must be keep or split (got ${JSON.stringify(mode)})`);
    opts.parallelCalls = mode;
  }

  const result = exportSession(dir, opts);
  const out: string[] = [`exported ${dir} to ${result.dir}`];
  for (const f of result.files) out.push(`  ${f.split.padEnd(10)} ${String(f.rows).padStart(7)} rows  ${f.path}`);
  out.push(`  statistics: ${result.infoPath}`, `  dataset card: ${result.cardPath}`);
  for (const path of result.trainerPaths) out.push(`  ${path.endsWith('.json') ? 'LLaMA-Factory entry' : 'Axolotl snippet'}: ${path}`);
  for (const note of result.notes) out.push(`note: ${oneLine(note)}`);
  const first = result.files[0];
  if (first) out.push(`check it: synthloom validate ${first.path}`);
  io.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function parse(argv: string[]) {
  return parseCommand('export', EXPORT_USAGE, argv, {
    format: { type: 'string' },
    splits: { type: 'string' },
    seed: { type: 'string' },
    'trl-style': { type: 'string' },
    'parallel-calls': { type: 'string' },
  });
}

export function parseFormat(value: string, flag: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`${flag}: must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as ExportFormat;
}

/** `0.8,0.1,0.1`; missing trailing ratios are 0 (`0.9,0.1` has no test split). */
export function parseSplits(value: string): SplitRatios {
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length < 1 || parts.length > 3 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
    throw new UsageError(`--splits: must be up to three numbers such as 0.8,0.1,0.1 (got ${JSON.stringify(value)})`);
  }
  const [train = 0, validation = 0, test = 0] = numbers;
  const r = { train, validation, test };
  if ([train, validation, test].some((x) => x < 0 || x > 1)) throw new UsageError('--splits: each ratio must be between 0 and 1');
  if (Math.abs(train + validation + test - 1) > 1e-6) throw new UsageError(`--splits: ratios must add up to 1 (${value} adds up to ${+(train + validation + test).toFixed(6)})`);
  if (train <= 0) throw new UsageError('--splits: the train ratio must be greater than 0');
  return r;
}

function parseSeed(value: string): number {
  if (!/^-?\d{1,15}$/.test(value)) throw new UsageError(`--seed: must be a whole number (got ${JSON.stringify(value)})`);
  return Number(value);
}
