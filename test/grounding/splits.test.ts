import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSession } from '../../src/core/export/index.js';
import { joinGroupsByKey } from '../../src/core/export/source-groups.js';
import type { Sample } from '../../src/core/types.js';
import { buildChatSession, type BuiltSession } from '../fixtures/export/build-session.js';
import { checkOpenai, matchRows, readRows } from '../fixtures/export/independent-readers.js';

let root: string;
let session: BuiltSession;
const chunkOf = new Map<string, string>();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-chunk-splits-'));
  session = buildChatSession(join(root, 'chat'));
  // Give every sample a source: chunks of 1 to 4 samples, spread over categories.
  const path = join(session.dir, 'samples.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Sample);
  for (const s of lines) {
    const n = Number(s.id.slice(2));
    const chunk = `ch_${String(Math.floor((n * 37) % 203 / 3)).padStart(3, '0')}`;
    s.source = { file: 'docs/guide.md', chunk_id: chunk, char_start: n * 10, char_end: n * 10 + 9 };
    chunkOf.set(s.id, chunk);
  }
  writeFileSync(path, `${lines.map((s) => JSON.stringify(s)).join('\n')}\n`);
  for (const s of session.samples) s.source = { file: 'docs/guide.md', chunk_id: chunkOf.get(s.id) as string, char_start: 0, char_end: 0 };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('splits keep one chunk whole', () => {
  it('no chunk has samples in two splits, for seeds 1..6 and two ratios', () => {
    const ratios = [
      { train: 0.8, validation: 0.1, test: 0.1 },
      { train: 0.5, validation: 0.25, test: 0.25 },
    ];
    for (const splits of ratios) {
      for (let seed = 1; seed <= 6; seed++) {
        const result = exportSession(session.dir, { format: 'openai', seed, splits });
        const splitOfChunk = new Map<string, string>();
        let rows = 0;
        for (const file of result.files) {
          const read = readRows(file.path);
          rows += read.length;
          for (const s of matchRows(read, session.samples, checkOpenai).values()) {
            const chunk = chunkOf.get(s.id) as string;
            const seen = splitOfChunk.get(chunk);
            if (seen !== undefined) expect(`${chunk} in ${seen} and ${file.split}`).toBe(`${chunk} in ${seen} and ${seen}`);
            splitOfChunk.set(chunk, file.split);
          }
        }
        expect(rows).toBe(session.samples.length);
        const test = result.files.find((f) => f.split === 'test')?.rows ?? 0;
        expect(Math.abs(test - session.samples.length * splits.test)).toBeLessThanOrEqual(4);
      }
    }
  });

  it('dataset_info.txt says how many rows come from how many chunks and files', () => {
    const result = exportSession(session.dir, { format: 'openai', seed: 1 });
    const info = readFileSync(result.infoPath, 'utf8');
    const chunks = new Set(session.samples.map((s) => chunkOf.get(s.id))).size;
    expect(info).toContain(`\nsources\n  grounded in documents: ${session.samples.length} rows from ${chunks} chunks of 1 files (each chunk's rows in one split)\n    docs/guide.md: ${session.samples.length} rows\n`);
  });

  it('joinGroupsByKey returns the very same groups when no sample has a chunk', () => {
    const groups = [[0, 3], [1], [2]];
    expect(joinGroupsByKey(groups, () => undefined)).toBe(groups);
    expect(joinGroupsByKey(groups, (i) => (i === 1 || i === 3 ? 'c' : undefined))).toEqual([[0, 3, 1], [2]]);
  });
});
