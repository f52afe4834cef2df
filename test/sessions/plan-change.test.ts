/**
 * Issue 3 acceptance: the approved plan's fingerprint is checked on resume. A session whose model was
 * changed in session.yaml is refused without --yes (exit 2, the change named), and continued with --yes on
 * the new model, which then becomes the approved one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Plan } from '../../src/core/plan.js';
import type { Sample } from '../../src/core/types.js';
import { jsonLines, runToEnd, sessionSuite, writeConfig } from './helpers.js';

const suite = sessionSuite('plan-change', { seed: 21 });

test('a changed model is refused without --yes, naming the change, and continued with --yes on the new model', async () => {
  const env = suite.env();
  const configPath = writeConfig({ name: 'changed', outputDir: suite.dir, size: 12, concurrency: 2, budgetUsd: 0.004 });
  const dir = join(suite.dir, 'changed');
  const first = await runToEnd(['run', configPath, '--yes', '--plain'], env);
  expect(first.code, first.stderr).toBe(3); // stopped at the budget cap: resumable
  const doneBefore = jsonLines<Sample>(join(dir, 'samples.jsonl')).length;
  expect(doneBefore).toBeGreaterThan(0);
  expect(doneBefore).toBeLessThan(12);
  const fingerprintBefore = (parseYaml(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as Plan).fingerprint;

  const sessionPath = join(dir, 'session.yaml');
  const session = parseYaml(readFileSync(sessionPath, 'utf8')) as { config: { provider: { model: string } } };
  expect(session.config.provider.model).toBe('gpt-4.1-mini');
  session.config.provider.model = 'gpt-4o';
  writeFileSync(sessionPath, stringifyYaml(session));

  const requestsBefore = suite.server.stats().bySchema.examples ?? 0;
  for (const args of [['resume', dir, '--plain', '--budget', '5'], ['resume', dir, '--json', '--budget', '5']]) {
    const refused = await runToEnd(args, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('model "gpt-4.1-mini" -> "gpt-4o"');
    expect(refused.stderr).toMatch(/--yes/);
    expect(refused.stderr).not.toMatch(/at .*\.js:\d+/); // one clear line, no stack trace
  }
  expect(suite.server.stats().bySchema.examples ?? 0).toBe(requestsBefore); // nothing was spent
  expect((parseYaml(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as Plan).fingerprint).toBe(fingerprintBefore);

  suite.server.setKnobs({ record: true });
  const accepted = await runToEnd(['resume', dir, '--yes', '--plain', '--budget', '5'], env);
  const bodies = suite.server.stats().bodies.map((b) => b.body as { model: string });
  suite.server.setKnobs({ record: false });
  suite.server.resetStats();
  expect(accepted.code, accepted.stderr).toBe(0);
  expect(accepted.stderr).toContain('model "gpt-4.1-mini" -> "gpt-4o"'); // accepted, and still shown
  expect(bodies.length).toBeGreaterThan(0);
  expect(new Set(bodies.map((b) => b.model))).toEqual(new Set(['gpt-4o']));
  const samples = jsonLines<Sample>(join(dir, 'samples.jsonl'));
  expect(samples).toHaveLength(12);
  expect(samples.slice(doneBefore).every((s) => s.model === 'gpt-4o')).toBe(true);

  // The new settings are now the approved ones: the next resume has nothing to confirm.
  const plan = parseYaml(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as Plan;
  expect(plan.fingerprint).not.toBe(fingerprintBefore);
  expect(plan.config.provider.model).toBe('gpt-4o');
  const again = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).not.toContain('changed since the plan');
});
