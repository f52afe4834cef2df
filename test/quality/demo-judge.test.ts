/**
 * The offline demo provider answers every structured request a run makes: with `quality.judge` on, a demo
 * run ends with exactly the requested samples, each carrying its judge scores; the weak template examples
 * the demo judge scores under the threshold are `filtered` failures with the rationale, their slots
 * refilled; judge calls are booked apart in session.yaml. `synthloom augment` on the demo session works too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runAugmentation } from '../../src/core/augment/runner.js';
import type { SessionStats } from '../../src/core/ledger.js';
import { buildPlan } from '../../src/core/plan.js';
import { validateConfig } from '../../src/core/config.js';
import { openRun } from '../../src/index.js';
import { DemoProvider, demoJudgement } from '../../src/providers/demo.js';
import { rawLines } from '../sessions/helpers.js';

const work = mkdtempSync(join(tmpdir(), 'synthloom-demo-judge-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the demo judge: deterministic scores 1-5 per criterion, one sentence naming it', () => {
  const criteria = ['relevance', 'correctness', 'follows_instructions'];
  const a = demoJudgement(42, criteria);
  expect(demoJudgement(42, criteria)).toEqual(a);
  expect(Object.keys(a)).toEqual(criteria);
  for (const [name, { score, rationale }] of Object.entries(a)) {
    expect([1, 2, 3, 4, 5]).toContain(score);
    expect(rationale).toContain(name.replace(/_/g, ' '));
    expect(rationale.match(/\./g)).toHaveLength(1);
  }
  const means = Array.from({ length: 200 }, (_, i) => {
    const s = Object.values(demoJudgement(i * 7919, criteria));
    return s.reduce((n, x) => n + x.score, 0) / s.length;
  });
  expect(means.filter((m) => m < 3.5).length).toBeGreaterThan(20);
  expect(means.filter((m) => m >= 3.5).length).toBeGreaterThan(120);
});

test('a demo run with the judge on: exactly the requested samples, scores kept, filtered failures with the rationale, judge calls booked', async () => {
  const config = validateConfig({
    name: 'demo-judged',
    task: 'customer support',
    domain: 'returns and refunds',
    size: 40,
    output_dir: work,
    topics: { depth: 0 },
    provider: { name: 'demo' },
    quality: { judge: { enabled: true, threshold: 3.5 } },
  });
  const plan = buildPlan(config);
  const handle = openRun({ config, plan, providers: () => new DemoProvider(undefined, 0), onBudget: 'end' });
  const result = await handle.start();
  expect(result.reason ?? '').toBe('');
  expect(result.status).toBe('done');
  expect(result.done).toBe(40);

  const dir = join(work, 'demo-judged');
  const samples = rawLines(join(dir, 'samples.jsonl')).map((l) => JSON.parse(l) as { scores?: { mean: number; criteria: Record<string, { score: number; rationale: string }> } });
  expect(samples).toHaveLength(40);
  for (const s of samples) {
    expect(s.scores!.mean).toBeGreaterThanOrEqual(3.5);
    expect(Object.keys(s.scores!.criteria).sort()).toEqual(['correctness', 'follows_instructions', 'realistic_user', 'relevance']);
    for (const [name, c] of Object.entries(s.scores!.criteria)) expect(c.rationale).toContain(name.replace(/_/g, ' '));
  }
  const failures = rawLines(join(dir, 'failures.jsonl')).map((l) => JSON.parse(l) as { kind: string; message: string });
  const filtered = failures.filter((f) => f.kind === 'filtered');
  expect(filtered.length).toBeGreaterThan(0);
  for (const f of filtered) expect(f.message).toMatch(/^judge: weighted score \d\.\d\d is under the threshold 3\.5; \w+ [123]\/5: Demo judge: the template example /);

  const stats = (parseYaml(readFileSync(join(dir, 'session.yaml'), 'utf8')) as { stats: SessionStats }).stats;
  expect(stats.spend!.judge.requests).toBe(40 + filtered.length);

  const augmented = await runAugmentation(dir, new DemoProvider(undefined, 0), { method: 'rephrase', ratio: 0.25 });
  expect(augmented.added).toBe(10);
  expect(augmented.rejected).toBe(0);
}, 60_000);
