/**
 * `augment` through the core (issue 12 acceptance): on a 100-sample session made by the engine against
 * the loopback server, `--method rephrase --ratio 0.5` adds 50 samples, each with `derived_from`, each in
 * its origin's split after export; every request is booked in the session's ledger.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { augmentationPlan, keptSamples, runAugmentation } from '../../src/core/augment/runner.js';
import { validateConfig } from '../../src/core/config.js';
import { exportSession } from '../../src/core/export/index.js';
import { createRun } from '../../src/core/run.js';
import { providerFactory } from '../../src/providers/index.js';
import { providerSuite } from '../provider-suite.js';
import { cliEnv } from '../sessions/helpers.js';

const suite = providerSuite({ seed: 33, apiKey: 'dummy' });
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-augment-run-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('augment a session', () => {
  it('rephrase at ratio 0.5 on 100 samples adds 50 derived samples, each in its origin\'s split', async () => {
    const config = validateConfig({
      name: 'aug', task: 'customer support', domain: 'returns', size: 100, output_dir: root,
      provider: { name: 'openai', model: 'gpt-4.1-mini', concurrency: 4, base_url: suite.server.openaiBaseUrl },
    });
    const providers = providerFactory(cliEnv('http://127.0.0.1:1'));
    const run = createRun({ config, providers });
    expect((await run.start()).done).toBe(100);
    const costBefore = (parseYaml(readFileSync(join(run.dir, 'session.yaml'), 'utf8')) as { stats: { cost_usd: number } }).stats.cost_usd;

    const samples = keptSamples(run.dir, new Set());
    const plan = augmentationPlan(config, samples, { method: 'rephrase', ratio: 0.5 });
    expect(plan.slots).toHaveLength(50);
    expect(plan.costUsd).toBeGreaterThan(0);

    suite.server.resetStats();
    const result = await runAugmentation(run.dir, providers(config.provider), { method: 'rephrase', ratio: 0.5 });
    expect(result).toMatchObject({ added: 50, rejected: 0 });
    expect(suite.server.stats().requests).toBe(50);
    const after = keptSamples(run.dir, new Set());
    const derived = after.filter((s) => s.derived_from);
    expect(derived).toHaveLength(50);
    const ids = new Set(samples.map((s) => s.id));
    expect(derived.every((s) => ids.has(s.derived_from!))).toBe(true);
    const stats = (parseYaml(readFileSync(join(run.dir, 'session.yaml'), 'utf8')) as { stats: { cost_usd: number } }).stats;
    expect(stats.cost_usd).toBeCloseTo(costBefore + result.costUsd, 5);
    expect(result.costUsd).toBeGreaterThan(0);

    // After export each derived sample is in its origin's split (found by the assistant turns' text).
    exportSession(run.dir);
    const datasetDir = join(run.dir, 'dataset');
    const splitOf = new Map<string, string>();
    for (const file of readdirSync(datasetDir).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(datasetDir, file), 'utf8').split('\n').filter(Boolean)) splitOf.set(line, file);
    }
    const fileOf = (answer: string): string | undefined => [...splitOf.entries()].find(([line]) => line.includes(JSON.stringify(answer).slice(1, -1)))?.[1];
    const byId = new Map(after.map((s) => [s.id, s]));
    const splits = new Set<string>();
    for (const d of derived) {
      const origin = byId.get(d.derived_from!)!;
      const mine = fileOf(d.messages[d.messages.length - 1]!.content);
      expect(mine).toBeDefined();
      expect(mine).toBe(fileOf(origin.messages[origin.messages.length - 1]!.content));
      splits.add(mine!);
    }
    // Every row of the session is in one of the split files (origins and derived alike).
    expect(splitOf.size).toBe(150);
    expect(splits.size).toBeGreaterThanOrEqual(1);
  });
});
