/** `synthloom run CONFIG` on a config with `sources`: the documents are found beside the config file whatever the cwd. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { providerSuite } from '../provider-suite.js';
import { cliEnv, runToEnd } from '../sessions/helpers.js';

const suite = providerSuite({ seed: 55, apiKey: 'dummy' });
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-ground-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function config(name: string, source: string): string {
  const path = join(root, `${name}.yaml`);
  writeFileSync(path, [
    `name: ${name}`, 'task: customer support', 'domain: returns', 'size: 1', `output_dir: ${join(root, 'out')}`,
    'provider: {name: openai, model: gpt-4.1-mini, concurrency: 2}', 'topics: {depth: 0}',
    `sources: [{path: ${source}}]`, 'grounding: {questions_per_chunk: 2, chunk_tokens: 100, overlap_tokens: 10}',
  ].join('\n'));
  return path;
}

it('generates two questions for each chunk, with the source, and a missing folder is one line, exit 2', async () => {
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs', 'returns.md'), '# Returns\n\nYou can return an item within 30 days of delivery.\n');
  writeFileSync(join(root, 'docs', 'shipping.txt'), 'Standard shipping takes 3 to 5 business days.');
  const env = cliEnv(suite.server.openaiBaseUrl);
  const result = await runToEnd(['run', config('docs', 'docs'), '--yes', '--json'], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const end = result.events.find((e) => e.type === 'run_end') as { done: number; target: number } | undefined;
  expect(end).toMatchObject({ done: 4, target: 4 });
  const samples = readFileSync(join(root, 'out', 'docs', 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { source?: { file: string } });
  expect(samples.map((s) => s.source?.file).sort()).toEqual(['docs/returns.md', 'docs/returns.md', 'docs/shipping.txt', 'docs/shipping.txt']);

  const missing = await runToEnd(['run', config('nowhere', 'nowhere'), '--yes', '--json'], env);
  expect(missing.code).toBe(2);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  expect(missing.stderr).toContain('nowhere: no such file or folder');
  expect(existsSync(join(root, 'out', 'nowhere', 'samples.jsonl'))).toBe(false);
});
