/**
 * The engine end to end, in-process, against the loopback server through the real OpenAI and Anthropic
 * SDKs: structured output on every request, faults survived, every failure on disk with its kind.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfigText, type Config } from '../../src/core/config.js';
import type { EngineEvent } from '../../src/core/events.js';
import { openRun as createRun } from '../../src/index.js';
import type { Failure, Sample } from '../../src/core/types.js';
import { startTestServer, type TestServer } from '../server/index.js';

const CANARY = 'sk-canary-ENGINE-7f3a9c';
let server: TestServer;
let root: string;

beforeAll(async () => {
  server = await startTestServer();
  root = mkdtempSync(join(tmpdir(), 'synthloom-engine-'));
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function configFor(provider: 'openai' | 'anthropic', name: string, o: { topics?: string; provider?: string; extra?: string } = {}): Config {
  const model = provider === 'openai' ? 'gpt-4.1-mini' : 'claude-haiku-4-5';
  return parseConfigText(
    `name: ${name}\ntask: customer support\ndomain: returns\nsize: 100\noutput_dir: ${root}\n` +
      `topics: { categories: [{name: Refunds}, {name: Exchanges, weight: 2}], ${o.topics ?? 'depth: 1, degree: 3'} }\n` +
      `provider: { name: ${provider}, model: ${model}, concurrency: 8, max_retries: 8, timeout_s: 5${o.provider ?? ''} }\n${o.extra ?? ''}`,
    'test',
  );
}

function envFor(provider: 'openai' | 'anthropic'): NodeJS.ProcessEnv {
  return provider === 'openai'
    ? { OPENAI_API_KEY: CANARY, OPENAI_BASE_URL: server.openaiBaseUrl }
    : { ANTHROPIC_API_KEY: CANARY, ANTHROPIC_BASE_URL: server.anthropicBaseUrl };
}

function lines<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe.each(['openai', 'anthropic'] as const)('engine with %s', (provider) => {
  test('100 samples under server errors, broken answers and a 429ing rate limit: exactly 100 accepted, exit 0', async () => {
    server.resetStats();
    server.setKnobs({
      seed: provider === 'openai' ? 11 : 12,
      record: true,
      latencyMs: 5,
      serverErrorRate: 0.15,
      truncatedRate: 0.05,
      malformedRate: 0.05,
      rateLimit: { requests: 40, windowMs: 1000 },
      rateLimit429Rate: 0.03,
      retryAfterS: 1,
    });
    const config = configFor(provider, `faults-${provider}`);
    const handle = createRun({ config, env: envFor(provider) });
    const events: EngineEvent[] = [];
    handle.events.on((e) => events.push(e));
    const result = await handle.start();
    const stats = server.stats();
    server.setKnobs({ serverErrorRate: 0, truncatedRate: 0, malformedRate: 0, rateLimit: null, rateLimit429Rate: 0, record: false });

    expect(result).toMatchObject({ status: 'done', exitCode: 0, done: 100, target: 100 });
    const samples = lines<Sample>(join(handle.dir, 'samples.jsonl'));
    expect(samples).toHaveLength(100);
    expect(new Set(samples.map((s) => s.slot)).size).toBe(100);
    expect(new Set(samples.map((s) => s.id)).size).toBe(100);

    // Every request asked for structured output by schema.
    const bodies = stats.bodies.map((b) => b.body as Record<string, unknown>);
    expect(bodies.length).toBe(stats.requests);
    for (const body of bodies) {
      if (provider === 'openai') {
        expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
      } else {
        expect(body.output_config).toMatchObject({ format: { type: 'json_schema' } });
        expect(body).not.toHaveProperty('temperature');
      }
    }

    // The server's faults all show up as failures of the right kind.
    const failures = lines<Failure>(join(handle.dir, 'failures.jsonl'));
    const byKind = (k: string) => failures.filter((f) => f.kind === k).length;
    expect(stats.faults.server_error ?? 0).toBeGreaterThan(0);
    expect(byKind('server')).toBe(stats.faults.server_error ?? 0);
    expect(byKind('parse')).toBe(stats.faults.malformed ?? 0);
    expect(byKind('truncated')).toBe((stats.faults.truncated ?? 0) + (stats.faults.max_tokens_reached ?? 0));
    expect(byKind('rate_limit')).toBe(stats.byStatus['429'] ?? 0);
    expect(stats.byStatus['429'] ?? 0).toBeGreaterThan(0);
    expect(failures.every((f) => f.slot && f.attempt >= 1 && f.at && f.message)).toBe(true);

    // Split files and the run's events.
    const dataset = join(handle.dir, 'dataset');
    const rows = ['train', 'validation', 'test'].map((s) => lines(join(dataset, `${s}.jsonl`)).length);
    expect(rows).toEqual([80, 10, 10]);
    expect(events[0]?.type).toBe('run_start');
    expect(events.at(-1)).toMatchObject({ type: 'run_end', status: 'done', done: 100 });
    expect(events.filter((e) => e.type === 'topic_done').length).toBe(2);

    // The key never reaches a file of the session.
    for (const file of allFiles(handle.dir)) expect(readFileSync(file, 'utf8')).not.toContain(CANARY);
    expect(JSON.stringify(events)).not.toContain(CANARY);
  });
});

describe('circuit breaker and budget', () => {
  test('an invalid key stops the run at once with the reason, and does not burn retries', async () => {
    server.resetStats();
    server.setKnobs({ auth: 'invalid' });
    const handle = createRun({ config: configFor('openai', 'bad-key', { topics: 'depth: 0' }), env: envFor('openai') });
    const result = await handle.start();
    server.setKnobs({ auth: 'valid' });
    expect(result.status).toBe('failed');
    expect(result.exitCode).toBe(2);
    expect(result.reason).toMatch(/^auth: /);
    expect(result.reason).not.toContain(CANARY);
    expect(server.stats().requests).toBeLessThanOrEqual(8);
  });

  test.each([
    ['sample generation', 'depth: 0'],
    ['topic expansion', 'depth: 1, degree: 3'],
  ])('a model or URL that does not exist (404) stops the run during %s with exit 2, not 20 retries', async (_, topics) => {
    server.resetStats();
    const env = { OPENAI_API_KEY: CANARY, OPENAI_BASE_URL: `${server.url}/no-such-prefix/v1` };
    const handle = createRun({ config: configFor('openai', `not-found-${topics.length}`, { topics }), env });
    const result = await handle.start();
    expect(result).toMatchObject({ status: 'failed', exitCode: 2 });
    // Without the rule it retried until 20 failures in a row ended it with exit 1.
    expect(result.reason).toMatch(/^not found \(404\): check provider\.model and provider\.base_url/);
  });

  test('exhausted quota stops the run instead of retrying', async () => {
    server.resetStats();
    server.setKnobs({ quota: true });
    const handle = createRun({ config: configFor('anthropic', 'no-quota', { topics: 'depth: 0' }), env: envFor('anthropic') });
    const result = await handle.start();
    server.setKnobs({ quota: false });
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(result.reason).toMatch(/^quota: /);
    expect(server.stats().requests).toBeLessThanOrEqual(8);
  });

  test('the run pauses before the budget would be exceeded (exit 3) and stays resumable', async () => {
    server.resetStats();
    const config = configFor('openai', 'budget', { topics: 'depth: 0', extra: 'budget_usd: 0.15\n', provider: ', price: { input: 20, output: 80 }' });
    const handle = createRun({ config, env: envFor('openai') });
    const result = await handle.start();
    expect(result).toMatchObject({ status: 'budget', exitCode: 3 });
    const session = readFileSync(join(handle.dir, 'session.yaml'), 'utf8');
    expect(session).toMatch(/status: budget_paused/);
    const spent = Number(/cost_usd: ([\d.]+)/.exec(session)![1]);
    expect(spent).toBeLessThanOrEqual(0.15);
    expect(result.done).toBeGreaterThan(0);
    expect(result.done).toBeLessThan(100);

    const resumed = createRun({ dir: handle.dir, resume: true, budgetUsd: 100, env: envFor('openai') });
    const after = await resumed.start();
    expect(after).toMatchObject({ status: 'done', exitCode: 0, done: 100 });
    expect(lines(join(handle.dir, 'samples.jsonl'))).toHaveLength(100);
  });
});

describe('stopping', () => {
  test('stop right after start ends the run as interrupted, with few requests and nothing torn', async () => {
    server.resetStats();
    server.setKnobs({ latencyMs: 50 });
    const handle = createRun({ config: configFor('openai', 'early-stop'), env: envFor('openai') });
    const done = handle.start();
    handle.stop();
    const result = await done;
    server.setKnobs({ latencyMs: 0 });
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(result.done).toBeLessThan(100);
    expect(readFileSync(join(handle.dir, 'session.yaml'), 'utf8')).toMatch(/status: interrupted/);
    const resumed = await createRun({ dir: handle.dir, resume: true, env: envFor('openai') }).start();
    expect(resumed).toMatchObject({ status: 'done', exitCode: 0, done: 100 });
  });

  test('stop during the sample phase waits for requests in flight, then a resume fills only what is left', async () => {
    server.resetStats();
    server.setKnobs({ latencyMs: 40 });
    const handle = createRun({ config: configFor('anthropic', 'mid-stop', { topics: 'depth: 0' }), env: envFor('anthropic') });
    handle.events.on((e) => {
      if (e.type === 'sample_accepted' && e.done === 20) handle.stop();
    });
    const result = await handle.start();
    expect(result.status).toBe('interrupted');
    const first = lines<Sample>(join(handle.dir, 'samples.jsonl'));
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(first.length).toBeLessThanOrEqual(28);
    const before = server.stats().bySchema.examples ?? 0;
    await createRun({ dir: handle.dir, resume: true, env: envFor('anthropic') }).start();
    server.setKnobs({ latencyMs: 0 });
    const all = lines<Sample>(join(handle.dir, 'samples.jsonl'));
    expect(all).toHaveLength(100);
    expect(new Set(all.map((s) => s.slot)).size).toBe(100);
    const after = server.stats().bySchema.examples ?? 0;
    expect(after - before).toBe(100 - first.length);
  });
});

test('pause under a rate limit: requests waiting for the limiter are not sent, and resume finishes the run', async () => {
  server.resetStats();
  const resetAt = Date.now();
  const config = parseConfigText(
    `name: paced\ntask: support\ndomain: returns\nsize: 8\noutput_dir: ${root}\ntopics: { depth: 0 }\n` +
      'provider: { name: openai, model: gpt-4.1-mini, concurrency: 8, rpm: 120 }\n',
    'test',
  );
  const handle = createRun({ config, env: envFor('openai') });
  let pausedAt = -1;
  let sentWhenPaused = 0;
  handle.events.on((e) => {
    if (e.type === 'sample_accepted' && e.done === 2 && pausedAt < 0) {
      handle.pause();
      pausedAt = Date.now();
      sentWhenPaused = server.stats().requests;
      setTimeout(() => handle.resume(), 2500);
    }
  });
  const result = await handle.start();
  expect(result).toMatchObject({ status: 'done', done: 8 });
  const stats = server.stats();
  // Nothing new arrived in the 2.5 s pause beyond a request that was already on the wire.
  const since = pausedAt - resetAt;
  const duringPause = stats.timestamps.filter((t) => t > since + 50 && t < since + 2400);
  expect(duringPause.length).toBeLessThanOrEqual(1);
  expect(stats.requests).toBeGreaterThanOrEqual(sentWhenPaused);
});
