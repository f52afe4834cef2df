/** A large, valid session directory written directly (no run), for export tests that need an export to take a while. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { runToEnd } from '../sessions/helpers.js';

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(' ');

export function sampleLine(i: number, slot = `t${i % 97}_r${i}`): string {
  let s = (i * 2654435761) >>> 0;
  const word = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return WORDS[s % WORDS.length]!;
  };
  const text = (n: number) => Array.from({ length: n }, word).join(' ');
  return JSON.stringify({
    id: `s-${i}`,
    slot,
    category: ['billing', 'shipping', 'returns'][i % 3],
    topic: `topic ${i % 97}`,
    messages: [
      { role: 'user', content: `Question ${i}: ${text(20)}?` },
      { role: 'assistant', content: `Answer ${i}: ${text(60)}.` },
    ],
    model: 'gpt-4.1-mini',
    usage: { input_tokens: 100, output_tokens: 80 },
    created_at: '2026-11-20T10:00:00.000Z',
  });
}

/** `count` samples (one per slot) in `dir`, with a session.yaml a real run would leave. */
export function buildLargeSession(dir: string, name: string, count: number): string {
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(sampleLine(i));
  writeFileSync(join(dir, 'samples.jsonl'), `${lines.join('\n')}\n`);
  const config = {
    name,
    task: 'customer support',
    domain: 'returns',
    size: count,
    splits: { train: 0.8, validation: 0.1, test: 0.1 },
    format: 'openai',
    seed: 42,
    provider: { name: 'openai', model: 'gpt-4.1-mini' },
  };
  const stats = { done: count, target: count, failed_slots: 0, requests: count, topic_requests: 0, tokens: { input: 0, output: 0 }, cost_usd: 0, failures: {}, duplicates: 0, elapsed_s: 1 };
  const now = '2026-11-20T10:00:00.000Z';
  writeFileSync(join(dir, 'session.yaml'), stringify({ version: 1, name, status: 'done', created_at: now, updated_at: now, config, stats }));
  return dir;
}

export const SPLITS = ['train', 'validation', 'test'];

/** The sha256 of each split file of dir/dataset ('-' for a missing one), as one string to compare exports by. */
export function splitHashes(dir: string): string {
  const dataset = join(dir, 'dataset');
  return SPLITS.map((s) => {
    const path = join(dataset, `${s}.jsonl`);
    return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : '-';
  }).join(' ');
}

/** The rows of each split file of dir/dataset. */
export function rowsBySplit(dir: string): string[][] {
  return SPLITS.map((s) => {
    const path = join(dir, 'dataset', `${s}.jsonl`);
    return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
  });
}

/** Exports dir with `seed` through the CLI, expecting success, and returns its splitHashes. */
export async function exportOf(dir: string, seed: number, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runToEnd(['export', dir, '--seed', String(seed)], env);
  expect(result.code, result.stderr).toBe(0);
  return splitHashes(dir);
}
