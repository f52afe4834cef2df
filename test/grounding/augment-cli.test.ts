/** `synthloom augment` as a process: the plan and its cost before spending; exit 2 without --yes off a terminal; --yes derives. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { createRun } from '../../src/core/run.js';
import { providerFactory } from '../../src/providers/index.js';
import { providerSuite } from '../provider-suite.js';
import { cliEnv, runToEnd } from '../sessions/helpers.js';

const suite = providerSuite({ seed: 44, apiKey: 'dummy' });
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-augment-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('shows the plan, refuses to spend without --yes (exit 2), and derives with it', async () => {
  const config = validateConfig({ name: 'cli', task: 'support', domain: 'returns', size: 10, output_dir: root, provider: { name: 'openai', model: 'gpt-4.1-mini' } });
  const env = cliEnv(suite.server.openaiBaseUrl);
  const run = createRun({ config, providers: providerFactory(env) });
  expect((await run.start()).done).toBe(10);
  suite.server.resetStats();

  const refused = await runToEnd(['augment', run.dir, '--method', 'rephrase', '--ratio', '0.5'], env);
  expect(refused.code).toBe(2);
  expect(refused.stdout).toMatch(/5 new sample\(s\) from 10 original\(s\).*\$/);
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  expect(refused.stderr).toContain('--yes');
  expect(suite.server.stats().requests).toBe(0);

  const bad = await runToEnd(['augment', run.dir, '--method', 'shuffle', '--ratio', '0.5'], env);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--method');

  const done = await runToEnd(['augment', run.dir, '--method', 'rephrase', '--ratio', '0.5', '--yes', '--json'], env);
  expect(done.code).toBe(0);
  expect(done.stdout).toContain('"type":"augment_end","added":5');
  const derived = readFileSync(join(run.dir, 'samples.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"derived_from"'));
  expect(derived).toHaveLength(5);
  expect(suite.server.stats().requests).toBe(5);
});
