/**
 * `provider.mode: batch` end to end (issue 13), through openRun and the loopback server's batch APIs:
 * exact counts, cost at the batch price equal to the server's batch tokens, no live sample request, and
 * errored lines plus an expired batch resubmitted (only those lines) until the target is reached.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildPlan, planSummaryLines } from '../../src/core/plan.js';
import { openRun } from '../../src/index.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { tempRoot } from '../sessions/helpers.js';
import { env, expectBatchCost, journalIds, sampleSlots, writeBatchConfig } from './mode.helpers.js';

let server: TestServer;
const tmp = tempRoot('batch-mode');
beforeAll(async () => {
  server = await startTestServer({ seed: 13 });
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

const LIVE = { openai: 'openai.chat.completions', anthropic: 'anthropic.messages' } as const;

describe.each(['openai', 'anthropic'] as const)('%s batch mode', (provider) => {
  test('500 samples exactly, at the batch price, no live sample request', async () => {
    server.resetStats();
    server.setKnobs({ batchMaxLines: 30, batchLineErrorRate: 0, batchExpire: [] });
    const { config } = writeBatchConfig({ name: `plain-${provider}`, outputDir: tmp.dir, provider, size: 500, maxLines: 30 });
    const handle = openRun({ config, env: env(server) });
    const batchEvents: unknown[] = [];
    handle.events.on((e) => e.type === 'batch' && batchEvents.push(e));
    const result = await handle.start();
    expect(result.reason).toBeUndefined();
    expect(result.exitCode).toBe(0);
    const dir = join(tmp.dir, `plain-${provider}`);
    const slots = sampleSlots(dir);
    expect(slots.length).toBe(500);
    expect(new Set(slots).size).toBe(500);
    const s = server.stats();
    expect(s.byEndpoint[LIVE[provider]] ?? 0).toBe(0);
    expectBatchCost(dir, config, server, provider);
    const { ids, chunks } = journalIds(dir);
    expect(new Set(ids).size).toBe(ids.length);
    expect(chunks).toBe(4); // 100 lines of 5, 30 a batch
    expect(batchEvents.length).toBeGreaterThan(0);
  });

  test('10 % of lines errored and one batch expired: exactly the target, only those lines again', async () => {
    server.resetStats();
    server.setKnobs({ batchMaxLines: 30, batchLineErrorRate: 0.1, batchExpire: [2], batchExpireShare: 0.5 });
    const name = `faults-${provider}`;
    const { config } = writeBatchConfig({ name, outputDir: tmp.dir, provider, size: 500, maxLines: 30 });
    const result = await openRun({ config, env: env(server) }).start();
    server.setKnobs({ batchLineErrorRate: 0, batchExpire: [] });
    expect(result.reason).toBeUndefined();
    const dir = join(tmp.dir, name);
    const slots = sampleSlots(dir);
    expect(slots.length).toBe(500);
    expect(new Set(slots).size).toBe(500);
    const { ids, chunks } = journalIds(dir);
    expect(new Set(ids).size).toBe(ids.length);
    // First round: 100 lines; the rest are resubmissions, only of lines that did not succeed.
    const resubmitted = ids.filter((id) => id.includes('__x'));
    console.info(`${provider}: ${ids.length} lines in ${chunks} batches, ${resubmitted.length} resubmitted`);
    expect(resubmitted.length).toBe(ids.length - 100);
    expect(resubmitted.length).toBeGreaterThan(5);
    expect(chunks).toBeGreaterThan(4);
    expect(server.stats().byEndpoint[LIVE[provider]] ?? 0).toBe(0);
    expectBatchCost(dir, config, server, provider);
  });
});

test('the plan shows both prices, the 24 h window and the number of batches', () => {
  const { config } = writeBatchConfig({ name: 'planned', outputDir: tmp.dir, provider: 'openai', size: 500, maxLines: 30 });
  const plan = buildPlan(config);
  const b = plan.estimate.batch!;
  // 100 requests of 5 and ~6 % retries expected: 106 lines, 30 a batch.
  expect(b.batches).toBe(4);
  expect(b.windowHours).toBe(24);
  expect(b.batchCostUsd!).toBeCloseTo(b.liveCostUsd! / 2, 10); // no topic calls at depth 0
  expect(plan.estimate.costUsd).toBe(b.batchCostUsd);
  expect(planSummaryLines(plan).join('\n')).toMatch(/Batch mode: 4 batch\(es\), results within 24 h · live price \$[\d.]+, batch price \$[\d.]+/);
  const live = buildPlan({ ...config, provider: { ...config.provider, mode: 'live' } });
  expect(live.estimate.batch).toBeUndefined();
});
