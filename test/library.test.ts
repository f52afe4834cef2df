/**
 * synthloom as a library: a script outside the repo imports the built package by its name, runs a demo
 * generation through `generate`, and receives the typed events in order, then the result. Its TypeScript
 * twin is type-checked against the package's own declarations.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const REPO = resolve(fileURLToPath(import.meta.url), '..', '..');
let outside: string;

const SCRIPT = `
import { exportSession, generate, plan } from 'synthloom';
const config = {
  name: 'lib-demo', task: 'customer support', domain: 'returns', size: 6, output_dir: process.argv[2],
  topics: { categories: [{ name: 'Refunds' }, { name: 'Exchanges' }], depth: 0 }, provider: { name: 'demo' },
};
const estimate = plan(config).estimate;
const types = [];
let result;
for await (const item of generate(config)) {
  types.push(item.type);
  if (item.type === 'result') result = item.result;
}
exportSession(result.dir, { format: 'sharegpt' });
console.log(JSON.stringify({ calls: estimate.calls.total, types, result }));
`;

const TYPED = `
import { generate, type GenerateItem, type RunResult } from 'synthloom';
async function main(): Promise<RunResult | undefined> {
  for await (const item of generate({ name: 'x', task: 't', domain: 'd', size: 1, provider: { name: 'demo' } })) {
    const typed: GenerateItem = item;
    if (typed.type === 'sample_accepted') typed.sample.messages.map((m) => m.content.length);
    if (typed.type === 'result') return typed.result;
  }
  return undefined;
}
void main();
`;

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'synthloom-library-'));
  mkdirSync(join(outside, 'node_modules'));
  symlinkSync(REPO, join(outside, 'node_modules', 'synthloom'), 'dir');
  writeFileSync(join(outside, 'package.json'), '{"type":"module","private":true}');
  writeFileSync(join(outside, 'script.mjs'), SCRIPT);
  writeFileSync(join(outside, 'typed.ts'), TYPED);
});
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('the package entry', () => {
  test('a script outside the repo imports synthloom by name, runs a demo generation and gets the events in order, then the result', () => {
    const run = spawnSync(process.execPath, ['script.mjs', join(outside, 'out')], { cwd: outside, env: { ...process.env, SYNTHLOOM_DEMO_LATENCY_MS: '0' }, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { calls, types, result } = JSON.parse(run.stdout) as { calls: number; types: string[]; result: { status: string; done: number; dir: string } };
    expect(calls).toBeGreaterThan(0);
    expect(types[0]).toBe('run_start');
    expect(types.indexOf('plan')).toBeLessThan(types.indexOf('sample_accepted'));
    expect(types.filter((t) => t === 'sample_accepted')).toHaveLength(6);
    expect(types.at(-2)).toBe('run_end');
    expect(types.at(-1)).toBe('result');
    expect(result).toMatchObject({ status: 'done', done: 6 });
    expect(readFileSync(join(result.dir, 'dataset', 'train.jsonl'), 'utf8')).toContain('"conversations"');
  });

  test('its types come with it: a TypeScript consumer type-checks against the declarations', () => {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', join(REPO, 'node_modules', '@types'), 'typed.ts'];
    expect(() => execFileSync(process.execPath, [tsc, ...args], { cwd: outside, encoding: 'utf8', timeout: 120_000 })).not.toThrow();
  });
});
