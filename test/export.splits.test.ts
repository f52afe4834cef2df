import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSession } from '../src/core/export/index.js';
import { assignSplits, largestRemainder, stratifiedQuotas } from '../src/core/export/splits.js';
import type { Sample } from '../src/core/types.js';
import { type BuiltSession, buildChatSession } from './fixtures/export/build-session.js';
import { checkOpenai, matchRows, readRows } from './fixtures/export/independent-readers.js';

let root: string;
let chat: BuiltSession;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-splits-'));
  chat = buildChatSession(join(root, 'chat'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The test's own definitions, independent of the exporter.
function expectedSizes(total: number, ratios: number[]): number[] {
  const exact = ratios.map((r) => total * r);
  const sizes = exact.map((x) => Math.floor(x + 1e-9));
  const order = exact.map((x, i) => [x - (sizes[i] as number), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const left = total - sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) sizes[(order[k] as readonly [number, number])[1]]! += 1;
  return sizes;
}

function words(s: Sample): string[] {
  return s.messages
    .filter((m) => m.role !== 'system')
    .map((m) => m.content)
    .join(' ')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function nearDuplicatePairs(samples: Sample[]): [string, string][] {
  const shingles = samples.map((s) => {
    const w = words(s);
    return new Set(w.slice(0, -2).map((_, i) => w.slice(i, i + 3).join(' ')));
  });
  const pairs: [string, string][] = [];
  for (let a = 0; a < samples.length; a++) {
    for (let b = a + 1; b < samples.length; b++) {
      const A = shingles[a] as Set<string>;
      const B = shingles[b] as Set<string>;
      let shared = 0;
      for (const x of A) if (B.has(x)) shared++;
      if (shared / (A.size + B.size - shared) >= 0.8) pairs.push([samples[a]!.id, samples[b]!.id]);
    }
  }
  return pairs;
}

const RATIOS = [
  { train: 0.8, validation: 0.1, test: 0.1 },
  { train: 0.333, validation: 0.333, test: 0.334 },
  { train: 0.7, validation: 0.25, test: 0.05 },
];

function splitOfEachSample(seed: number, splits: (typeof RATIOS)[number]): { bySplit: Map<string, string>; sizes: number[] } {
  const result = exportSession(chat.dir, { format: 'openai', seed, splits });
  const bySplit = new Map<string, string>();
  const sizes = [0, 0, 0];
  for (const file of result.files) {
    const rows = readRows(file.path);
    sizes[['train', 'validation', 'test'].indexOf(file.split)] = rows.length;
    for (const s of matchRows(rows, chat.samples, checkOpenai).values()) bySplit.set(s.id, file.split);
  }
  return { bySplit, sizes };
}

describe('splits for seeds 1..20', () => {
  it('sizes match the ratios to the row, every category is in every split its count allows, no near-duplicate pair crosses splits', () => {
    const pairs = nearDuplicatePairs(chat.samples);
    const plantedPairs = chat.plantedGroups.reduce((n, g) => n + (g.length * (g.length - 1)) / 2, 0);
    expect(pairs.length).toBeGreaterThanOrEqual(plantedPairs);
    const counts = new Map<string, number>();
    for (const s of chat.samples) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
    const assignments = new Set<string>();

    for (let seed = 1; seed <= 20; seed++) {
      const splits = RATIOS[seed % RATIOS.length]!;
      const ratios = [splits.train, splits.validation, splits.test];
      const { bySplit, sizes } = splitOfEachSample(seed, splits);
      expect(bySplit.size).toBe(200);
      expect(sizes, `seed ${seed}`).toEqual(expectedSizes(200, ratios));

      for (const [category, n] of counts) {
        ['train', 'validation', 'test'].forEach((split, i) => {
          const got = chat.samples.filter((s) => s.category === category && bySplit.get(s.id) === split).length;
          const share = n * (ratios[i] as number);
          if (share >= 1) expect(got, `seed ${seed}: ${category} in ${split}`).toBeGreaterThan(0);
          expect(Math.abs(got - share), `seed ${seed}: ${category} in ${split} (${got} for ${share})`).toBeLessThanOrEqual(2);
        });
      }
      for (const [a, b] of pairs) expect(bySplit.get(a), `seed ${seed}: ${a} and ${b}`).toBe(bySplit.get(b));
      assignments.add(chat.samples.map((s) => bySplit.get(s.id)).join());
    }
    expect(assignments.size).toBeGreaterThan(15);
  });

  it('every planted exact or near copy is kept with its original', () => {
    const { bySplit } = splitOfEachSample(5, RATIOS[0]!);
    for (const group of chat.plantedGroups) expect(new Set(group.map((id) => bySplit.get(id))).size).toBe(1);
  });
});

describe('exports are reproducible', () => {
  const files = (dir: string) =>
    Object.fromEntries(readdirSync(join(dir, 'dataset')).sort().map((f) => [f, readFileSync(join(dir, 'dataset', f))]));

  it('exporting twice with the same seed gives byte-identical files', () => {
    exportSession(chat.dir, { format: 'sharegpt', seed: 9 });
    const first = files(chat.dir);
    exportSession(chat.dir, { format: 'sharegpt', seed: 9 });
    const second = files(chat.dir);
    expect(Object.keys(first)).toEqual(['.export.json', 'README.md', 'axolotl.yaml', 'dataset_info.json', 'dataset_info.txt', 'quality.json', 'test.jsonl', 'train.jsonl', 'validation.jsonl']);
    for (const name of Object.keys(first)) expect(second[name]!.equals(first[name]!), name).toBe(true);
  });

  it('the order lines were appended to samples.jsonl does not change the files', () => {
    const copy = join(root, 'reordered');
    cpSync(chat.dir, copy, { recursive: true });
    const lines = readFileSync(join(copy, 'samples.jsonl'), 'utf8').trimEnd().split('\n').reverse();
    writeFileSync(join(copy, 'samples.jsonl'), `${lines.join('\n')}\n`);
    exportSession(chat.dir, { format: 'openai', seed: 3 });
    exportSession(copy, { format: 'openai', seed: 3 });
    for (const name of ['train.jsonl', 'validation.jsonl', 'test.jsonl', 'dataset_info.txt']) {
      expect(readFileSync(join(copy, 'dataset', name)).equals(readFileSync(join(chat.dir, 'dataset', name))), name).toBe(true);
    }
  });

  it('a different seed gives a different split', () => {
    exportSession(chat.dir, { format: 'openai', seed: 1 });
    const a = readFileSync(join(chat.dir, 'dataset', 'test.jsonl'), 'utf8');
    exportSession(chat.dir, { format: 'openai', seed: 2 });
    expect(readFileSync(join(chat.dir, 'dataset', 'test.jsonl'), 'utf8')).not.toBe(a);
  });
});

describe('assignSplits with a group too large for its split', () => {
  it('keeps the group whole, sizes off the exact numbers, and reports both', () => {
    const categories = Array.from({ length: 200 }, (_, i) => (i % 2 ? 'a' : 'b'));
    const big = Array.from({ length: 190 }, (_, i) => i);
    const groups = [big, ...Array.from({ length: 10 }, (_, i) => [190 + i])];
    const result = assignSplits(categories, groups, { train: 0.8, validation: 0.1, test: 0.1 }, 1);
    expect(new Set(big.map((i) => result.splitOf[i])).size).toBe(1);
    expect(result.targets).toEqual([160, 20, 20]);
    expect(result.sizes.reduce((a, b) => a + b, 0)).toBe(200);
    expect(result.sizes[0]).toBe(190);
  });

  it('still fills every split exactly when small groups leave room', () => {
    const categories = Array.from({ length: 101 }, (_, i) => ['x', 'y', 'z'][i % 3] as string);
    const groups = [[0, 1, 2, 3], [4, 5], [6, 7, 8], ...Array.from({ length: 92 }, (_, i) => [9 + i])];
    for (let seed = 1; seed <= 20; seed++) {
      const result = assignSplits(categories, groups, { train: 0.6, validation: 0.2, test: 0.2 }, seed);
      expect(result.sizes).toEqual(expectedSizes(101, [0.6, 0.2, 0.2]));
      for (const g of groups) expect(new Set(g.map((i) => result.splitOf[i])).size).toBe(1);
    }
  });
});

describe('stratifiedQuotas', () => {
  it('rounds every category x split share to its floor or ceiling while rows and columns add up exactly', () => {
    let state = 12345;
    const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
    for (let t = 0; t < 500; t++) {
      const counts = Array.from({ length: 1 + Math.floor(random() * 10) }, () => 1 + Math.floor(random() * (random() < 0.5 ? 9 : 300)));
      const a = 0.05 + random() * 0.9;
      const b = random() * (1 - a);
      const ratios = [a, b, 1 - a - b];
      const total = counts.reduce((x, y) => x + y, 0);
      const totals = largestRemainder(total, ratios);
      expect(totals).toEqual(expectedSizes(total, ratios));
      const quotas = stratifiedQuotas(counts, totals, ratios);
      quotas.forEach((row, c) => {
        expect(row.reduce((x, y) => x + y, 0)).toBe(counts[c]);
        row.forEach((q, s) => expect(Math.abs(q - (counts[c] as number) * (ratios[s] as number))).toBeLessThan(1));
      });
      totals.forEach((t2, s) => expect(quotas.reduce((x, row) => x + (row[s] as number), 0)).toBe(t2));
    }
  });
});
