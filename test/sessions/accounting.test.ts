/**
 * Independent accounting (issue 9): the spend a session records equals what the test server billed (the
 * tokens of every answer it delivered) times the price table, within 0.5 %, topic expansion included; also
 * across three kill -9 and resumes, and when the topics were expanded through a preview before approval.
 *
 * At each kill the server holds every new request (timeoutRate 1) and the answers already on their way are
 * given time to be recorded, so "billed" and "recorded" speak of the same answers: what was in flight at
 * the kill was never answered, so never billed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/core/config.js';
import type { SessionStats } from '../../src/core/ledger.js';
import { buildPlan } from '../../src/core/plan.js';
import { openRun } from '../../src/index.js';
import { rawLines, runCli, runToEnd, sessionSuite, until, writeConfig } from './helpers.js';

/** gpt-4.1-mini in data/prices.yaml: $0.40 / $1.60 per 1M tokens. */
const PRICE = { input: 0.4, output: 1.6 };
const CATEGORIES = '{ categories: [{name: Refunds}, {name: Exchanges}, {name: Shipping}], depth: 1, degree: 3 }';
const LATENCY_MS = 40;

const suite = sessionSuite('accounting', { seed: 21, latencyMs: LATENCY_MS, latencyJitter: 0.5, serverErrorRate: 0.08, malformedRate: 0.05 });

function billedUsd(): number {
  const b = suite.server.stats().billed;
  return (b.input * PRICE.input + b.output * PRICE.output) / 1_000_000;
}

/** Input tokens the session's files hold: every answer's usage is on a sample, failure or topic line. */
function recordedInput(dir: string): number {
  const sum = (file: string) => rawLines(join(dir, file)).reduce((n, line) => {
    try {
      return n + ((JSON.parse(line) as { usage?: { input_tokens?: number } }).usage?.input_tokens ?? 0);
    } catch {
      return n;
    }
  }, 0);
  return sum('samples.jsonl') + sum('failures.jsonl') + sum('topics.jsonl');
}

function stats(name: string): SessionStats {
  return (parseYaml(readFileSync(join(suite.dir, name, 'session.yaml'), 'utf8')) as { stats: SessionStats }).stats;
}

function expectWithinHalfAPercent(recorded: number, billed: number): void {
  expect(billed).toBeGreaterThan(0);
  expect(Math.abs(recorded - billed) / billed).toBeLessThan(0.005);
}

test('a run with topic expansion: cost_usd equals the server\'s billed tokens times the price', async () => {
  suite.server.resetStats();
  const config = writeConfig({ name: 'straight', outputDir: suite.dir, size: 40, topics: CATEGORIES, concurrency: 6 });
  const result = await runToEnd(['run', config, '--yes', '--plain'], suite.env());
  expect(result.code).toBe(0);
  const s = stats('straight');
  expect(s.spend!.topics.requests).toBeGreaterThanOrEqual(3);
  expect(s.spend!.topics.cost_usd).toBeGreaterThan(0);
  expectWithinHalfAPercent(s.cost_usd, billedUsd());
});

test('three kill -9 and resumes: the spend still equals what the server billed', async () => {
  suite.server.resetStats();
  const config = writeConfig({ name: 'killed', outputDir: suite.dir, size: 60, topics: CATEGORIES, concurrency: 6 });
  const dir = join(suite.dir, 'killed');
  const env = suite.env();
  for (let i = 0; i < 3; i++) {
    const run = runCli(i === 0 ? ['run', config, '--yes', '--json'] : ['resume', dir, '--yes', '--json'], env);
    await run.waitForEvent((e, all) => e.type === 'sample_accepted' && all.filter((x) => x.type === 'sample_accepted').length >= 4 + i);
    suite.server.setKnobs({ timeoutRate: 1 }); // hold every new request: nothing more is billed
    // The answers already on their way arrive and are written to the session's files: then kill.
    // Equal for 300 ms in a row: on a loaded machine an answer billed a moment after one check could
    // otherwise still be on its way to the files when the kill lands.
    let equalSince = 0;
    await until(() => {
      if (recordedInput(dir) !== suite.server.stats().billed.input) return (equalSince = 0) !== 0;
      equalSince ||= Date.now();
      return Date.now() - equalSince >= 300;
    }, 'the answers on their way to be recorded');
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    suite.server.setKnobs({ timeoutRate: 0 });
  }
  const last = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(last.code).toBe(0);
  expectWithinHalfAPercent(stats('killed').cost_usd, billedUsd());
});

test('topics expanded through a preview first (the plan screen\'s path): their spend is in cost_usd, and not paid twice', async () => {
  suite.server.resetStats();
  const { config } = loadConfig(writeConfig({ name: 'previewed', outputDir: suite.dir, size: 30, topics: CATEGORIES, concurrency: 6 }));
  const handle = openRun({ config, env: suite.env(), onBudget: 'end' });
  const preview = await handle.previewTopics();
  expect(preview.failed).toEqual([]);
  const topicCalls = suite.server.stats().bySchema.topic_list ?? 0;
  expect(topicCalls).toBeGreaterThanOrEqual(3);
  expect(preview.costUsd).toBeGreaterThan(0);
  handle.approve(buildPlan(config, preview.tree));
  const result = await handle.start();
  expect(result.status).toBe('done');
  expect(suite.server.stats().bySchema.topic_list).toBe(topicCalls); // the run did not expand again
  const s = stats('previewed');
  expect(s.spend!.topics.cost_usd).toBeCloseTo(preview.costUsd, 6); // session.yaml keeps 6 decimals
  expectWithinHalfAPercent(s.cost_usd, billedUsd());
});
