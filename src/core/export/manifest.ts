/**
 * dataset/.export.json: what an export was made from, written last into the staging directory (so its
 * presence marks a complete export) and compared with the session to tell whether dataset/ is current.
 * samples.jsonl and removed.jsonl only grow (a resume may cut a torn last line), so their size plus a hash
 * of their last 64 KiB identifies their content cheaply, however large the session. No timestamp: the
 * same session exported with the same settings gives byte-identical files.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const MANIFEST_FILE = '.export.json';
const TAIL_BYTES = 64 * 1024;

export interface FileMark {
  bytes: number;
  /** sha256 (hex, 16 chars) of the last 64 KiB. */
  tail: string;
}

export interface ExportManifest {
  version: 1;
  format: string;
  seed: number;
  rows: Record<string, number>;
  samples: FileMark;
  removed: FileMark;
}

export type DatasetState = 'current' | 'stale' | 'missing' | 'none';

/** Size and tail hash of a file (a missing file is 0 bytes). */
export function markOf(path: string): FileMark {
  if (!existsSync(path)) return { bytes: 0, tail: '' };
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buffer, got, length - got, size - length + got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: size, tail: createHash('sha256').update(buffer.subarray(0, got)).digest('hex').slice(0, 16) };
  } finally {
    closeSync(fd);
  }
}

export function sessionMarks(sessionDir: string): { samples: FileMark; removed: FileMark } {
  return { samples: markOf(join(sessionDir, 'samples.jsonl')), removed: markOf(join(sessionDir, 'removed.jsonl')) };
}

export function readManifest(datasetDir: string): ExportManifest | null {
  try {
    const m = JSON.parse(readFileSync(join(datasetDir, MANIFEST_FILE), 'utf8')) as ExportManifest;
    return m && m.version === 1 && m.samples && m.removed ? m : null;
  } catch {
    return null;
  }
}

const same = (a: FileMark, b: FileMark) => a.bytes === b.bytes && a.tail === b.tail;

/**
 * `current`: dataset/ was made from samples.jsonl and removed.jsonl as they are now. `stale`: they changed
 * since (or dataset/ predates manifests). `missing`: the session has samples but no dataset/. `none`: no
 * samples, nothing to export.
 */
export function datasetState(sessionDir: string): DatasetState {
  const marks = sessionMarks(sessionDir);
  const dataset = join(sessionDir, 'dataset');
  if (!existsSync(dataset)) return marks.samples.bytes === 0 ? 'none' : 'missing';
  const manifest = readManifest(dataset);
  if (!manifest) return 'stale';
  return same(manifest.samples, marks.samples) && same(manifest.removed, marks.removed) ? 'current' : 'stale';
}

/** One line for `sessions` and the resume/export notes; empty when dataset/ is current or there is nothing to export. */
export function describeDatasetState(state: DatasetState, sessionDir: string): string {
  if (state === 'missing') return `no export in ${join(sessionDir, 'dataset')} (an export was interrupted?): rebuild it with synthloom export ${sessionDir}`;
  if (state === 'stale') return `the export in ${join(sessionDir, 'dataset')} is older than samples.jsonl: rebuild it with synthloom export ${sessionDir}`;
  return '';
}
