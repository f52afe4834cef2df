/**
 * Issue 3 acceptance: the first Ctrl+C (SIGINT) or SIGTERM stops dispatching, lets the requests in flight
 * finish and be recorded, prints the exact resume command and exits 130; a resume finishes the run. A
 * second Ctrl+C quits at once, still without a torn line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import type { Failure, Sample } from '../../src/core/types.js';
import { jsonLines, rawLines, runCli, runToEnd, sessionSuite, until, writeConfig } from './helpers.js';

const SIZE = 30;
const suite = sessionSuite('stop', { seed: 51 });

const sampleRequests = () => suite.server.stats().bySchema.examples ?? 0;
const status = (dir: string) => (parseYaml(readFileSync(join(dir, 'session.yaml'), 'utf8')) as { status: string }).status;

test.each(['SIGINT', 'SIGTERM'] as const)('%s once: graceful stop, exit 130 with the resume command; the resume finishes', async (signal) => {
  const name = `graceful-${signal.toLowerCase()}`;
  const dir = join(suite.dir, name);
  const env = suite.env();
  suite.server.setKnobs({ latencyMs: 400, latencyJitter: 0.25 });
  suite.server.resetStats();
  const run = runCli(['run', writeConfig({ name, outputDir: suite.dir, size: SIZE, concurrency: 4 }), '--yes', '--plain'], env);
  await until(() => rawLines(join(dir, 'samples.jsonl')).length >= 4 && suite.server.stats().inFlight >= 1, 'samples and requests in flight');
  run.child.kill(signal);
  const { code } = await run.exited;
  suite.server.setKnobs({ latencyMs: 0, latencyJitter: 0 });

  expect(code, run.stderr()).toBe(130);
  expect(run.stderr()).toMatch(/^stopping: .*waiting for \d+ requests in flight/m);
  expect(run.stdout()).toMatch(/^interrupted: \d+\/30 samples/m);
  expect(run.stdout().split('\n')).toContain(`resume: synthloom resume ${dir} --yes`);
  expect(status(dir)).toBe('interrupted');
  expect(existsSync(join(dir, 'session.lock'))).toBe(false);
  // It stopped early, and every request it had made was answered and recorded: nothing paid for was lost.
  const samples = jsonLines<Sample>(join(dir, 'samples.jsonl'));
  const failures = jsonLines<Failure>(join(dir, 'failures.jsonl'));
  expect(samples.length).toBeLessThan(SIZE);
  expect(sampleRequests()).toBe(samples.length + failures.length);

  const resumed = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toMatch(new RegExp(`^synthloom: resuming "${name}"`, 'm')); // told it continues, not starting over
  const all = jsonLines<Sample>(join(dir, 'samples.jsonl'));
  expect(all).toHaveLength(SIZE);
  expect(new Set(all.map((s) => s.slot)).size).toBe(SIZE);
  expect(sampleRequests()).toBe(SIZE + jsonLines<Failure>(join(dir, 'failures.jsonl')).length);
  expect(status(dir)).toBe('done');
});

test('two Ctrl+C: the second quits at once without waiting for the requests in flight, and leaves no torn line', async () => {
  const name = 'double-sigint';
  const dir = join(suite.dir, name);
  const env = suite.env();
  suite.server.setKnobs({ latencyMs: 20 });
  const run = runCli(['run', writeConfig({ name, outputDir: suite.dir, size: SIZE, concurrency: 4 }), '--yes', '--plain'], env);
  await until(() => rawLines(join(dir, 'samples.jsonl')).length >= 4, 'some samples');
  suite.server.setKnobs({ timeoutRate: 1 }); // the requests from now on never get an answer
  await until(() => suite.server.stats().inFlight >= 1, 'a request that hangs');
  run.child.kill('SIGINT');
  await run.waitForOutput(/^stopping: /m);
  run.child.kill('SIGINT');
  const { code } = await run.exited;
  suite.server.setKnobs({ timeoutRate: 0, latencyMs: 0 });

  expect(code).toBe(130);
  expect(run.stderr()).toContain(`quit at once; resume with: synthloom resume ${dir} --yes`);
  expect(run.stdout()).not.toMatch(/^interrupted: /m); // it did not wait for the graceful end
  const text = readFileSync(join(dir, 'samples.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const before = jsonLines<Sample>(join(dir, 'samples.jsonl')).length;
  expect(before).toBeGreaterThanOrEqual(4);

  const resumed = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).not.toMatch(/torn/);
  expect(existsSync(join(dir, 'samples.jsonl.torn'))).toBe(false);
  expect(jsonLines<Sample>(join(dir, 'samples.jsonl'))).toHaveLength(SIZE);
});

test('SIGINT during topic expansion: no new topic request starts, the ones in flight are kept, exit 130; the resume expands only the rest', async () => {
  const name = 'expansion-sigint';
  const dir = join(suite.dir, name);
  const env = suite.env();
  const topics = '{ categories: [{name: Refunds}, {name: Exchanges}, {name: Shipping}, {name: Warranty}], depth: 2, degree: 3 }';
  const nodes = 4 + 4 * 3; // the categories, then their subtopics
  suite.server.setKnobs({ latencyMs: 800, latencyJitter: 0.9 }); // the categories' answers come back far apart
  suite.server.resetStats();
  const run = runCli(['run', writeConfig({ name, outputDir: suite.dir, size: 48, concurrency: 8, topics }), '--yes', '--plain'], env);
  await until(() => rawLines(join(dir, 'topics.jsonl')).length >= 1, 'the first expanded category');
  const askedAtSignal = suite.server.stats().bySchema.topic_list ?? 0;
  run.child.kill('SIGINT');
  const recordedAtSignal = rawLines(join(dir, 'topics.jsonl')).length;
  const { code } = await run.exited;
  suite.server.setKnobs({ latencyMs: 0, latencyJitter: 0 });

  expect(recordedAtSignal).toBeLessThan(4); // still expanding the categories: no subtopic request was due yet
  expect(code, run.stderr()).toBe(130);
  expect(run.stdout().split('\n')).toContain(`resume: synthloom resume ${dir} --yes`);
  expect(suite.server.stats().bySchema.topic_list ?? 0).toBe(askedAtSignal); // nothing new was dispatched
  expect(rawLines(join(dir, 'topics.jsonl'))).toHaveLength(askedAtSignal); // and what was in flight was kept
  expect(suite.server.stats().bySchema.examples ?? 0).toBe(0);

  const resumed = await runToEnd(['resume', dir, '--yes', '--plain'], env);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(suite.server.stats().bySchema.topic_list ?? 0).toBe(nodes); // every node asked for once over both runs
  expect(jsonLines<Sample>(join(dir, 'samples.jsonl'))).toHaveLength(48);
});
