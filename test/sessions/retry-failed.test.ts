/**
 * Issue 3 acceptance: slots whose retries are exhausted stay failed on a plain resume (no request is made
 * for them) and are put back in the queue by `resume --retry-failed`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Failure, Sample } from '../../src/core/types.js';
import { jsonLines, runToEnd, sessionSuite, writeConfig } from './helpers.js';

const SIZE = 30;
const suite = sessionSuite('retry', { seed: 61 });

test('max_retries 0 under server errors: exit 1 with failed slots; a resume leaves them, --retry-failed fills them', async () => {
  const env = suite.env();
  const dir = join(suite.dir, 'flaky');
  suite.server.setKnobs({ serverErrorRate: 0.25 });
  const first = await runToEnd(['run', writeConfig({ name: 'flaky', outputDir: suite.dir, size: SIZE, concurrency: 4, maxRetries: 0 }), '--yes', '--plain'], env);
  suite.server.setKnobs({ serverErrorRate: 0 });
  expect(first.code, first.stderr).toBe(1);

  const failures = jsonLines<Failure>(join(dir, 'failures.jsonl'));
  const failedSlots = new Set(failures.filter((f) => f.will_retry === false).map((f) => f.slot));
  expect(failedSlots.size).toBeGreaterThan(0);
  expect(failures.every((f) => f.kind === 'server')).toBe(true);
  const done = jsonLines<Sample>(join(dir, 'samples.jsonl'));
  expect(done.length + failedSlots.size).toBe(SIZE);
  expect(done.some((s) => failedSlots.has(s.slot))).toBe(false);
  expect(first.stdout).toMatch(new RegExp(`^incomplete: ${SIZE - failedSlots.size}/${SIZE} samples`, 'm'));
  expect(first.stdout.split('\n')).toContain(`resume: synthloom resume ${dir} --yes --retry-failed`);
  const session = parseYaml(readFileSync(join(dir, 'session.yaml'), 'utf8')) as { status: string; stats: { failed_slots: number } };
  expect(session).toMatchObject({ status: 'incomplete', stats: { failed_slots: failedSlots.size } });

  // A plain resume leaves the failed slots alone: no request, exit 1 again.
  const requests = suite.server.stats().bySchema.examples ?? 0;
  const plain = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(plain.code, plain.stderr).toBe(1);
  expect(suite.server.stats().bySchema.examples ?? 0).toBe(requests);
  expect(jsonLines<Sample>(join(dir, 'samples.jsonl'))).toHaveLength(done.length);

  // --retry-failed asks once for each of them and finishes.
  const retried = await runToEnd(['resume', dir, '--yes', '--retry-failed', '--plain'], env);
  expect(retried.code, retried.stderr).toBe(0);
  expect(suite.server.stats().bySchema.examples ?? 0).toBe(requests + failedSlots.size);
  const samples = jsonLines<Sample>(join(dir, 'samples.jsonl'));
  expect(samples).toHaveLength(SIZE);
  expect(new Set(samples.map((s) => s.slot)).size).toBe(SIZE);
  expect(samples.filter((s) => failedSlots.has(s.slot))).toHaveLength(failedSlots.size);
  expect((parseYaml(readFileSync(join(dir, 'session.yaml'), 'utf8')) as { stats: { failed_slots: number } }).stats.failed_slots).toBe(0);
});
