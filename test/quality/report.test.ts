import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { lengthChart, sharesChart } from '../../src/core/quality/charts.js';
import { writeFixed } from '../../src/core/quality/report/fix.js';
import { qualityReport } from '../../src/core/quality/report/index.js';
import { renderReport } from '../../src/core/quality/report/render.js';
import { qualityFixture } from './fixture.js';

let work: string;
const fixture = qualityFixture();
let file: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'synthloom-quality-'));
  file = join(work, 'data.jsonl');
  writeFileSync(file, fixture.text);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('quality report on a fixture with known problems', () => {
  test('reports exactly the exact and near duplicates, PII rows and length outliers, with their line numbers', () => {
    const r = qualityReport(file);
    expect(r.rows).toBe(fixture.rows);
    expect(r.unreadable_lines).toEqual([]);
    expect(Object.keys(r.shapes).sort()).toEqual(['alpaca', 'messages', 'prompt_completion', 'sharegpt']);
    expect(Object.values(r.shapes).reduce((a, b) => a + b, 0)).toBe(fixture.rows);
    expect(r.duplicates.exact).toEqual(fixture.exact);
    expect(r.duplicates.near.map(({ line, of }) => ({ line, of }))).toEqual(fixture.near);
    for (const d of r.duplicates.near) expect(d.similarity).toBeGreaterThanOrEqual(0.8);
    expect(r.pii.rows.map((p) => p.line)).toEqual(fixture.pii);
    expect(r.pii.hits).toEqual({ email: 1, card: 1 });
    expect(r.length.outliers.map((o) => o.line)).toEqual(fixture.outliers);
    expect(r.rejected_lines).toEqual([...fixture.exact.map((d) => d.line), ...fixture.near.map((d) => d.line), ...fixture.pii, ...fixture.outliers].sort((a, b) => a - b));
  });

  test('computes the ratios and marks each threshold', () => {
    const r = qualityReport(file);
    expect(r.duplicates.ratio).toBeCloseTo(5 / 65);
    expect(r.unique_instruction_ratio).toBeCloseTo(60 / 65);
    expect(r.pii.ratio).toBeCloseTo(2 / 65);
    expect(r.length.outlier_ratio).toBeCloseTo(2 / 65);
    expect(r.vocabulary).toBeGreaterThan(100);
    expect(r.distinct_1).toBeGreaterThan(0);
    expect(r.distinct_2).toBeGreaterThan(r.distinct_1);
    expect(Object.fromEntries(r.thresholds.map((t) => [t.name, t.pass]))).toEqual({
      duplicate_ratio: false,
      unique_instruction_ratio: true,
      pii_ratio: false,
      length_outlier_ratio: true,
      min_quality_score: null,
    });
    const text = renderReport(r).join('\n');
    expect(text).toMatch(/FAIL {2}duplicate_ratio/);
    expect(text).toMatch(/n\/a +min_quality_score +no judge scores/);
    expect(text).toContain(`rows with PII: 2 (email 1, card 1): lines ${fixture.pii.join(', ')}`);
  });

  test('--fix writes the file without exactly the rejected lines, and its report is clean', () => {
    const r = qualityReport(file);
    const out = join(work, 'fixed.jsonl');
    expect(writeFixed(r, out)).toEqual({ path: out, kept: 56, dropped: 9 });
    const input = fixture.text.split('\n').filter((l) => l !== '');
    const expected = input.filter((_, i) => !r.rejected_lines.includes(i + 1));
    expect(readFileSync(out, 'utf8')).toBe(`${expected.join('\n')}\n`);
    const again = qualityReport(out);
    expect([again.duplicates.exact.length, again.duplicates.near.length, again.pii.rows.length, again.length.outliers.length]).toEqual([0, 0, 0, 0]);
    expect(again.thresholds.filter((t) => t.pass === false)).toEqual([]);
    expect(() => writeFixed(r, file)).toThrow(/is the input file/);
  });

  test('reads a session: categories against plan.yaml, turns and judge scores, removed samples left out', () => {
    const dir = join(work, 'session');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const sample = (id: string, category: string, mean: number, turns: number) =>
      JSON.stringify({
        id,
        category,
        messages: Array.from({ length: turns }, (_, k) => [
          { role: 'user', content: `question ${id} ${k} about ${category} and some more words here` },
          { role: 'assistant', content: `answer ${id} ${k} for ${category} with a few distinct words ${id.repeat(3)}` },
        ]).flat(),
        scores: { mean, criteria: {} },
      });
    const rows = [sample('a', 'refunds', 4.5, 1), sample('b', 'refunds', 4, 2), sample('c', 'shipping', 2, 1), sample('d', 'shipping', 5, 1)];
    writeFileSync(join(dir, 'session.yaml'), 'name: s\n');
    writeFileSync(join(dir, 'samples.jsonl'), `${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'removed.jsonl'), '{"id":"d"}\n');
    writeFileSync(
      join(dir, 'plan.yaml'),
      'categories:\n  - { name: refunds, weight: 1, target: 2 }\n  - { name: shipping, weight: 1, target: 2 }\n  - { name: exchanges, weight: 1, target: 1 }\naxes:\n  - { name: turns, values: [{ value: single-turn, count: 4 }, { value: 2 turns, count: 1 }] }\n',
    );
    const r = qualityReport(dir);
    expect(r.source.kind).toBe('session');
    expect(r.rows).toBe(3);
    expect(r.categories).toEqual([
      { name: 'refunds', actual: 2, actual_share: 2 / 3, planned: 2, planned_share: 0.4 },
      { name: 'shipping', actual: 1, actual_share: 1 / 3, planned: 2, planned_share: 0.4 },
      { name: 'exchanges', actual: 0, actual_share: 0, planned: 1, planned_share: 0.2 },
    ]);
    expect(r.turns.map((t) => [t.name, t.actual, t.planned])).toEqual([
      ['single-turn', 2, 4],
      ['2 turns', 1, 1],
    ]);
    expect(r.scores).toMatchObject({ scored: 3, min: 2, below_min: [3] });
    expect(r.scores?.histogram.map((h) => h.count)).toEqual([0, 1, 0, 1, 1]);
    expect(r.thresholds.find((t) => t.name === 'min_quality_score')).toMatchObject({ value: 0.25, pass: false });
    expect(sharesChart(r.categories, { width: 10 })[0]).toBe('refunds   │██████████ 66.7% (2) · plan 40.0% (2)');
    expect(sharesChart(r.categories, { width: 10, ascii: true })[1]).toBe('shipping  │#####      33.3% (1) · plan 40.0% (2)');
  });

  test('unreadable input is a UsageError naming the path', () => {
    expect(() => qualityReport(join(work, 'missing.jsonl'))).toThrow(UsageError);
    expect(() => qualityReport(join(work, 'missing.jsonl'))).toThrow(/not found: .*missing\.jsonl/);
    const empty = mkdtempSync(join(work, 'plain-dir-'));
    expect(() => qualityReport(empty)).toThrow(/is a directory but not a session/);
    writeFileSync(join(work, 'empty.jsonl'), '');
    expect(() => qualityReport(join(work, 'empty.jsonl'))).toThrow(/empty\.jsonl: no rows to report on \(the file is empty\)$/);
    writeFileSync(join(work, 'csv.jsonl'), 'a,b\n1,2\n');
    expect(() => qualityReport(join(work, 'csv.jsonl'))).toThrow(/no rows to report on \(2 line\(s\) are not JSON rows .*the first at line 1\)$/);
  });

  test('bad lines are counted as unreadable, not fatal; the length chart has an outliers bar', () => {
    const f = join(work, 'mixed.jsonl');
    writeFileSync(f, `${fixture.text.split('\n').slice(0, 20).join('\n')}\nnot json\n{"foo": 1}\n`);
    const r = qualityReport(f);
    expect(r.unreadable_lines).toEqual([21, 22]);
    expect(r.rejected_lines).toContain(21);
    expect(lengthChart(qualityReport(file).length).at(-1)).toMatch(/^outliers +│█*[▏▎▍▌▋▊▉]? +2$/);
  });
});

test('the report normalizes text exactly as the export does (normalizeFast = normalizeText)', async () => {
  const { normalizeText } = await import('../../src/core/export/shingles.js');
  const { normalizeFast } = await import('../../src/core/quality/report/normalize.js');
  const alphabet = ['a', 'B', ' ', '  ', '.', ',', '\n', '\t', '€', 'é', 'ﬁ', '—', '\u00a0', '!?', '1', '_', '-', ' .', '. ', '\u2028', 'İ', '😀'];
  let seed = 1;
  const r = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 5000; i++) {
    let s = '';
    for (let j = Math.floor(r() * 30); j > 0; j--) s += alphabet[Math.floor(r() * alphabet.length)];
    expect(normalizeFast(s), JSON.stringify(s)).toBe(normalizeText(s));
  }
});
