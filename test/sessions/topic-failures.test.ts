/**
 * Topic expansion against a server answering 30 % of requests with 5xx and max_retries 0 (issue 9): the run
 * does not go on with a flattened tree. It names the nodes that failed, journals only the expanded ones,
 * and a resume (server healthy again) asks only for the pending nodes, then fills every slot.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Plan } from '../../src/core/plan.js';
import { jsonLines, runToEnd, sessionSuite, writeConfig } from './helpers.js';

const CATEGORIES = '{ categories: [{name: Refunds}, {name: Exchanges}, {name: Shipping}, {name: Warranty}, {name: Billing}, {name: Accounts}], depth: 1, degree: 3 }';
const suite = sessionSuite('topic-failures', { seed: 5, serverErrorRate: 0.3 });

test('30% server errors with max_retries 0: no sampling on a partial tree, the failed nodes named, a resume expands only them', async () => {
  const config = writeConfig({ name: 'partial', outputDir: suite.dir, size: 24, topics: CATEGORIES, maxRetries: 0 });
  const dir = join(suite.dir, 'partial');
  const first = await runToEnd(['run', config, '--yes', '--json'], suite.env());
  const failed = first.events.find((e) => e.type === 'topics_failed');
  expect(failed, 'the seed must fail at least one of the six nodes').toBeDefined();
  const nodes = failed && failed.type === 'topics_failed' ? failed.nodes : [];
  expect(nodes.length).toBeGreaterThan(0);
  expect(first.code).toBe(1);
  expect(first.events.some((e) => e.type === 'request_start')).toBe(false); // not one sample request
  const end = first.events.find((e) => e.type === 'run_end');
  expect(end && end.type === 'run_end' ? end.reason : '').toMatch(new RegExp(`topic expansion failed for ${nodes.length} node\\(s\\)`));
  expect(suite.server.stats().bySchema.examples ?? 0).toBe(0);
  const journaled = jsonLines<{ path: string[] }>(join(dir, 'topics.jsonl')).map((r) => r.path[0]);
  expect(journaled).toHaveLength(6 - nodes.length);
  for (const n of nodes) expect(journaled).not.toContain(n.path[0]);
  const plan = parseYaml(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as Plan;
  expect(plan.expanded).toBe(false);

  suite.server.setKnobs({ serverErrorRate: 0 });
  const topicsBefore = suite.server.stats().bySchema.topic_list ?? 0;
  const resumed = await runToEnd(['resume', dir, '--yes', '--plain'], suite.env());
  expect(resumed.code).toBe(0);
  expect((suite.server.stats().bySchema.topic_list ?? 0) - topicsBefore).toBe(nodes.length);
  expect(jsonLines(join(dir, 'samples.jsonl'))).toHaveLength(24);
});
