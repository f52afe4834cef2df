/** Batch-mode runs against the loopback server: configs, session readers and the cost check. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfigText, type Config } from '../../src/core/config.js';
import type { SessionStats } from '../../src/core/ledger.js';
import { priceFor } from '../../src/core/prices.js';
import { rawLines } from '../sessions/helpers.js';
import type { TestServer } from '../server/index.js';

export const MODEL = { openai: 'gpt-4.1-mini', anthropic: 'claude-haiku-4-5' } as const;

export function batchConfigText(o: { name: string; outputDir: string; provider: 'openai' | 'anthropic'; size: number; maxLines: number }): string {
  return [
    `name: ${o.name}`,
    'task: customer support',
    'domain: e-commerce returns and refunds',
    `size: ${o.size}`,
    `output_dir: ${o.outputDir}`,
    'budget_usd: 50',
    'topics: { depth: 0 }',
    'provider:',
    `  name: ${o.provider}`,
    `  model: ${MODEL[o.provider]}`,
    '  mode: batch',
    '  samples_per_call: 5',
    '  max_retries: 6',
    '  timeout_s: 30',
    `  batch_max_lines: ${o.maxLines}`,
    '  batch_poll_s: 0.02',
    '',
  ].join('\n');
}

export function writeBatchConfig(o: Parameters<typeof batchConfigText>[0]): { path: string; config: Config } {
  const path = join(o.outputDir, `${o.name}.yaml`);
  const text = batchConfigText(o);
  writeFileSync(path, text);
  return { path, config: parseConfigText(text, path) };
}

export function env(server: TestServer): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CI', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'SYNTHLOOM_DEBUG']) delete e[k];
  return { ...e, OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test', OPENAI_BASE_URL: server.openaiBaseUrl, ANTHROPIC_BASE_URL: server.anthropicBaseUrl };
}

export function stats(dir: string): SessionStats {
  return (parseYaml(readFileSync(join(dir, 'session.yaml'), 'utf8')) as { stats: SessionStats }).stats;
}

export function sampleSlots(dir: string): string[] {
  return rawLines(join(dir, 'samples.jsonl')).map((l) => (JSON.parse(l) as { slot: string }).slot);
}

interface Submitting {
  type: string;
  chunk?: string;
  lines?: { custom_id: string; slots: string[] }[];
}

/** custom_ids of every `submitting` record, and the chunks they are in. */
export function journalIds(dir: string): { ids: string[]; chunks: number } {
  const records = rawLines(join(dir, 'batches.jsonl')).flatMap((l) => {
    try {
      return [JSON.parse(l) as Submitting];
    } catch {
      return [];
    }
  });
  const submitting = records.filter((r) => r.type === 'submitting');
  return { ids: submitting.flatMap((r) => r.lines!.map((x) => x.custom_id)), chunks: submitting.length };
}

/** cost_usd against the server's batch tokens at the batch price, within 0.5 %. */
export function expectBatchCost(dir: string, config: Config, server: TestServer, provider: 'openai' | 'anthropic'): void {
  const billed = server.stats().usageBy[`${provider}.batch`]!;
  const price = priceFor(config, 'batch')!;
  const expected = (billed.input * price.input + billed.output * price.output) / 1_000_000;
  const s = stats(dir);
  console.info(`${provider}: cost_usd ${s.cost_usd.toFixed(6)} vs server batch tokens at the batch price ${expected.toFixed(6)} (${((100 * (s.cost_usd - expected)) / expected).toFixed(3)} %)`);
  expect(expected).toBeGreaterThan(0);
  expect(Math.abs(s.cost_usd - expected) / expected).toBeLessThan(0.005);
}
