/**
 * Issue 11 acceptance: a 200-sample run with the LLM judge on, against the test server (its judge answers
 * follow the schema; judgeFailRate makes a share score 1, under the threshold). The run ends with exactly
 * 200 accepted samples, each with its scores; every rejected candidate is a `filtered` failure carrying the
 * judge's rationale; judge spend is shown apart in the plan, the progress event, session.yaml and
 * dataset_info.txt.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/core/config.js';
import type { ProgressCounts } from '../../src/core/events.js';
import type { SessionStats } from '../../src/core/ledger.js';
import { buildPlan, planSummaryLines } from '../../src/core/plan.js';
import { openRun } from '../../src/index.js';
import { rawLines, sessionSuite } from '../sessions/helpers.js';

const suite = sessionSuite('judge-run', { seed: 11, latencyMs: 5, judgeFailRate: 0.2 });

test('200 samples with the judge on: 200 accepted, rejections filtered with the rationale, judge spend apart everywhere', async () => {
  const path = join(suite.dir, 'judged.yaml');
  writeFileSync(
    path,
    [
      'name: judged',
      'task: customer support',
      'domain: e-commerce returns and refunds',
      'size: 200',
      `output_dir: ${suite.dir}`,
      'budget_usd: 10',
      'topics: { depth: 0 }',
      'provider: { name: openai, model: gpt-4.1-mini, concurrency: 16, samples_per_call: 5, max_retries: 10 }',
      'quality: { judge: { enabled: true, threshold: 3.5 } }',
      '',
    ].join('\n'),
  );
  const { config } = loadConfig(path);
  const plan = buildPlan(config);
  expect(plan.estimate.judge?.calls).toBeGreaterThanOrEqual(200);
  expect(plan.estimate.calls.judge).toBe(plan.estimate.judge?.calls);
  expect(planSummaryLines(plan).some((l) => /^Judge \(estimate, included above\): \d+ calls/.test(l))).toBe(true);

  const handle = openRun({ config, plan, env: suite.env(), onBudget: 'end' });
  let last: ProgressCounts | null = null;
  handle.events.on((e) => {
    if (e.type === 'progress') last = e;
  });
  const result = await handle.start();
  expect(result.reason ?? '').toBe('');
  expect(result.status).toBe('done');
  expect(result.done).toBe(200);

  const dir = join(suite.dir, 'judged');
  const samples = rawLines(join(dir, 'samples.jsonl')).map((l) => JSON.parse(l) as { scores?: { mean: number; criteria: Record<string, { score: number; rationale: string }> } });
  expect(samples).toHaveLength(200);
  for (const s of samples) {
    expect(s.scores!.mean).toBeGreaterThanOrEqual(3.5);
    expect(Object.keys(s.scores!.criteria).sort()).toEqual(['correctness', 'follows_instructions', 'realistic_user', 'relevance']);
  }
  const failures = rawLines(join(dir, 'failures.jsonl')).map((l) => JSON.parse(l) as { kind: string; message: string });
  const judged = failures.filter((f) => f.message.startsWith('judge:'));
  expect(judged.length).toBeGreaterThan(10); // about a fifth of ~250 judged
  for (const f of judged) {
    expect(f.kind).toBe('filtered');
    expect(f.message).toMatch(/under the threshold 3\.5; .*falls short on/);
  }

  const stats = (parseYaml(readFileSync(join(dir, 'session.yaml'), 'utf8')) as { stats: SessionStats }).stats;
  const judgeSpend = stats.spend!.judge;
  expect(judgeSpend.requests).toBe(200 + judged.length);
  expect(judgeSpend.cost_usd).toBeGreaterThan(0);
  expect(suite.server.stats().bySchema.other).toBe(judgeSpend.requests); // the server counts the judge schema as 'other'
  const sum = stats.spend!.topics.cost_usd + stats.spend!.samples.cost_usd + judgeSpend.cost_usd;
  expect(Math.abs(stats.cost_usd - sum)).toBeLessThan(1e-5);

  expect(last).not.toBeNull();
  expect(last!.spendByStage.judge).toBeGreaterThan(0);
  expect(last!.spendByStage.judge).toBeCloseTo(judgeSpend.cost_usd, 5);

  const info = join(dir, 'dataset', 'dataset_info.txt');
  expect(existsSync(info)).toBe(true);
  expect(readFileSync(info, 'utf8')).toMatch(new RegExp(`judge spend \\(included above\\): ${judgeSpend.requests} requests, .*\\$${judgeSpend.cost_usd.toFixed(4)} USD`));
}, 120_000);
