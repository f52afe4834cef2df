/**
 * `--fix --out FILE`: the input's lines, verbatim and in order, without the report's rejected lines (every
 * duplicate after the first of its group, PII rows, length outliers, rows under the minimum quality score,
 * unreadable lines), blank lines, and for a session the samples removed.jsonl lists. Written atomically.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { AtomicFile } from '../../export/jsonl.js';
import { forEachLine } from '../../files.js';
import { openSource } from './source.js';
import type { QualityReport } from './types.js';

export function writeFixed(report: QualityReport, out: string): { path: string; kept: number; dropped: number } {
  const input = realpathSync(report.source.file);
  if (existsSync(out) && realpathSync(out) === input) throw new UsageError(`--out: ${out} is the input file; write the fixed file elsewhere`);
  const dir = dirname(resolve(out));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out: directory ${dir} does not exist`);
  const { removed } = openSource(report.source.path);
  const rejected = new Set(report.rejected_lines);
  let file: AtomicFile;
  try {
    file = new AtomicFile(out);
  } catch (err) {
    throw new UsageError(`--out: cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let kept = 0;
  let dropped = 0;
  try {
    forEachLine(report.source.file, ({ line, number }) => {
      if (line.trim() === '') return;
      if (rejected.has(number) || (removed.size > 0 && isRemoved(line, removed))) {
        dropped++;
        return;
      }
      file.write(`${line}\n`);
      kept++;
    });
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
  return { path: out, kept, dropped };
}

function isRemoved(line: string, removed: ReadonlySet<string>): boolean {
  try {
    const id = (JSON.parse(line) as { id?: unknown }).id;
    return typeof id === 'string' && removed.has(id);
  } catch {
    return false;
  }
}
