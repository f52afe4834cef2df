/**
 * Argument parsing shared by the subcommands: node:util's parseArgs in strict mode with `--help`/`-h`, and
 * a parse error turned into one usage line (`VERB: what is wrong`, the usage as the hint, exit 2) instead of
 * the multi-line TypeError node throws.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.js';

export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(verb: string, usage: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError(`${verb}: ${(err as Error).message.split('\n')[0]}`, { hint: usage });
  }
}
