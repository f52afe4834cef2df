/**
 * After a headless run: the run's final export must have produced a current dataset/ (core/export/manifest.ts).
 * If it did not (the export failed, or the process could not finish it), the exit code is not 0 and one
 * line says so with the command that rebuilds it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetState } from '../core/export/manifest.js';
import { sanitizeLine } from '../core/sanitize.js';
import type { Io } from './reporters.js';

/** Exit code when the run itself succeeded but its dataset/ export did not. */
export const EXPORT_FAILED_EXIT = 1;

export function exitCodeAfterExport(result: { exitCode: number; done: number; dir: string; reason?: string }, io: Io): number {
  if (result.done === 0 || !existsSync(join(result.dir, 'samples.jsonl'))) return result.exitCode;
  const state = datasetState(result.dir);
  if (state === 'current' || state === 'none') return result.exitCode;
  const why = /export failed: (.*)$/.exec(result.reason ?? '')?.[1];
  io.stderr.write(`synthloom: the dataset export did not complete${why ? ` (${sanitizeLine(why)})` : ''}; the samples are safe: rebuild it with synthloom export ${result.dir}\n`);
  return result.exitCode === 0 ? EXPORT_FAILED_EXIT : result.exitCode;
}
