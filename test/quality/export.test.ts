import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exportSession } from '../../src/core/export/index.js';
import type { QualityReport } from '../../src/core/quality/report/index.js';
import { buildChatSession } from '../fixtures/export/build-session.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-quality-export-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('an export writes dataset/quality.json and summarises it in dataset_info.txt', () => {
  const s = buildChatSession(join(root, 'chat'));
  const result = exportSession(s.dir);
  expect(result.qualityPath).toBe(join(s.dir, 'dataset', 'quality.json'));
  const report = JSON.parse(readFileSync(result.qualityPath, 'utf8')) as QualityReport;
  expect(report.source).toEqual({ path: '.', kind: 'session', file: 'samples.jsonl' });
  expect(report.rows).toBe(200);
  // The fixture plants 4 exact and 5 near copies.
  expect([report.duplicates.exact.length, report.duplicates.near.length]).toEqual([4, 5]);
  expect(report.categories.reduce((a, c) => a + c.actual, 0)).toBe(200);
  expect(JSON.stringify(report)).not.toContain(root);
  const info = readFileSync(result.infoPath, 'utf8');
  expect(info).toContain('quality (details in quality.json');
  expect(info).toContain('  duplicates: 4 exact, 5 near (4.5% of 200 rows)');
  expect(info).toMatch(/pass {2}duplicate_ratio/);
});
