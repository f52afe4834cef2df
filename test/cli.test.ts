/**
 * The command line as a user meets it: the built dist/cli.js in a child process, no terminal.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './server/index.js';

const CLI = resolve('dist/cli.js');
const CANARY = 'sk-canary-CLI-51b2e0';
let server: TestServer;
let work: string;

beforeAll(async () => {
  server = await startTestServer();
  work = mkdtempSync(join(tmpdir(), 'synthloom-cli-'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the CLI without blocking this process: the test server lives here and must keep answering. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = work): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

const GOOD = 'name: good\ntask: customer support\ndomain: returns\nsize: 12\ntopics: { depth: 0 }\n';

function configFile(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe('synthloom run with the demo provider', () => {
  test('the README quick start writes 50 samples and three split files valid for OpenAI fine-tuning', async () => {
    const r = await cli(['run', resolve('presets/customer-support.yaml'), '--provider', 'demo', '--size', '50', '--yes', '--plain']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('demo provider: offline template examples');
    const dir = join(work, 'datasets', 'customer-support');
    expect(readFileSync(join(dir, 'samples.jsonl'), 'utf8').trim().split('\n')).toHaveLength(50);
    const counts = ['train', 'validation', 'test'].map((s) => readFileSync(join(dir, 'dataset', `${s}.jsonl`), 'utf8').trim().split('\n').length);
    expect(counts).toEqual([40, 5, 5]);
    for (const split of ['train', 'validation', 'test']) {
      const v = await cli(['validate', join(dir, 'dataset', `${split}.jsonl`), ...(split === 'train' ? ['--format', 'openai'] : [])]);
      expect(v.code, v.stdout).toBe(0);
    }
    // Each line has only the keys OpenAI fine-tuning accepts, a user and an assistant turn.
    for (const line of readFileSync(join(dir, 'dataset', 'train.jsonl'), 'utf8').trim().split('\n')) {
      const row = JSON.parse(line) as { messages: { role: string; content: string }[] };
      expect(Object.keys(row)).toEqual(['messages']);
      expect(row.messages.some((m) => m.role === 'assistant' && m.content.length > 0)).toBe(true);
    }
    expect(r.stdout).toMatch(/^done: 50\/50 samples/m);
  });

  test('--json prints one typed event per line, from run_start to run_end', async () => {
    const r = await cli(['run', configFile('json.yaml', GOOD.replace('good', 'json-run')), '--provider', 'demo', '--yes', '--json'], { SYNTHLOOM_DEMO_LATENCY_MS: '0' });
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; ts: string });
    expect(events[0]!.type).toBe('run_start');
    expect(events.at(-1)!.type).toBe('run_end');
    expect(events.every((e) => typeof e.ts === 'string')).toBe(true);
    expect(events.filter((e) => e.type === 'sample_accepted')).toHaveLength(12);
  });
});

describe('synthloom plan', () => {
  test('prints categories, counts, calls, tokens, USD and time, and makes no request', async () => {
    server.resetStats();
    const r = await cli(['plan', resolve('presets/customer-support.yaml')], { OPENAI_API_KEY: CANARY, OPENAI_BASE_URL: server.openaiBaseUrl });
    expect(r.code, r.stderr).toBe(0);
    for (const re of [/Categories \(4\):/, /Return policy and eligibility/, /LLM calls: \d+/, /Tokens \(estimate\): [\d,]+ in/, /Cost \(estimate\): \$\d/, /Time \(estimate\): /, /Splits: train 160 · validation 20 · test 20/]) {
      expect(r.stdout).toMatch(re);
    }
    expect(server.stats().requests).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
  });
});

describe('bad input: one line naming the problem, exit 2, no stack trace, nothing written', () => {
  // A regular file in the way: unwritable even for root, which these machines run tests as.
  const unwritable = () => configFile('not-a-dir', 'x');
  const cases: [string, () => string[], RegExp, NodeJS.ProcessEnv?][] = [
    ['malformed YAML', () => ['run', configFile('bad1.yaml', 'name: x\ntask: [oops\n'), '--yes', '--plain'], /bad1\.yaml: not valid YAML/],
    ['an unknown key', () => ['run', configFile('bad2.yaml', `${GOOD}colour: red\n`), '--yes', '--plain'], /unknown key "colour"/],
    ['size: -3', () => ['run', configFile('bad3.yaml', GOOD.replace('size: 12', 'size: -3')), '--yes', '--plain'], /size: .*at least 1/],
    ['splits not summing to 1', () => ['run', configFile('bad4.yaml', `${GOOD}splits: { train: 0.7, validation: 0.1, test: 0.1 }\n`), '--yes', '--plain'], /splits: train \+ validation \+ test must add up to 1/],
    ['an unknown provider', () => ['run', configFile('bad5.yaml', GOOD), '--provider', 'gemini', '--yes', '--plain'], /--provider: unknown provider "gemini"/],
    ['a missing API key', () => ['run', configFile('bad6.yaml', GOOD), '--yes', '--plain'], /OPENAI_API_KEY is not set/],
    ['an unwritable output_dir', () => ['run', configFile('bad7.yaml', GOOD), '--out', join(unwritable(), 'sub'), '--yes', '--plain'], /output_dir: .*not-a-dir is a file, not a directory/, { OPENAI_API_KEY: CANARY }],
    ['a nonexistent config file', () => ['run', join(work, 'nope.yaml'), '--yes', '--plain'], /config file not found: .*nope\.yaml/],
    ['no --yes without a terminal', () => ['run', configFile('bad9.yaml', GOOD), '--provider', 'demo'], /refusing to spend tokens without --yes/],
  ];
  test.each(cases)('%s', async (_, args, message, env) => {
    const argv = args();
    const before = files(work).length;
    const r = await cli(argv, env);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toMatch(/^synthloom: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(files(work).length).toBe(before);
    expect(r.stderr).not.toContain(CANARY);
  });
});

test('a real provider run through the CLI never shows or writes the key', async () => {
  const r = await cli(['run', configFile('canary.yaml', GOOD.replace('good', 'canary')), '--yes', '--plain'], { OPENAI_API_KEY: CANARY, OPENAI_BASE_URL: server.openaiBaseUrl });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout + r.stderr).not.toContain(CANARY);
  for (const f of files(join(work, 'datasets', 'canary'))) expect(readFileSync(f, 'utf8')).not.toContain(CANARY);
});

test('presets lists the built-in presets', async () => {
  const r = await cli(['presets']);
  expect(r.code).toBe(0);
  for (const name of ['customer-support', 'code-assistant', 'technical-qa']) expect(r.stdout).toContain(name);
});
