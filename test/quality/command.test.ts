/** `synthloom quality` and the quality config as a user meets them: the built CLI in a child process. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { qualityFixture } from './fixture.js';

const CLI = resolve('dist/cli.js');
let work: string;
const fixture = qualityFixture();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'synthloom-quality-cli-'));
  writeFileSync(join(work, 'data.jsonl'), fixture.text);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('synthloom quality', () => {
  test('--json gives the counts with line numbers; a failed threshold exits 1', async () => {
    const r = await cli(['quality', 'data.jsonl', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.duplicates.exact).toEqual(fixture.exact);
    expect(report.duplicates.near.map((d: { line: number; of: number }) => ({ line: d.line, of: d.of }))).toEqual(fixture.near);
    expect(report.pii.rows.map((p: { line: number }) => p.line)).toEqual(fixture.pii);
    expect(report.length.outliers.map((o: { line: number }) => o.line)).toEqual(fixture.outliers);
  });

  test('the plain report shows the thresholds and charts', async () => {
    const r = await cli(['quality', 'data.jsonl']);
    expect(r.stdout).toMatch(/FAIL {2}duplicate_ratio/);
    expect(r.stdout).toContain(`exact: 3: ${fixture.exact.map((d) => `${d.line} = ${d.of}`).join(', ')}`);
    expect(r.stdout).toMatch(/outliers +│█/);
  });

  test('--fix --out writes the file without the duplicates and rejected rows, and nothing else changes', async () => {
    const r = await cli(['quality', 'data.jsonl', '--fix', '--out', 'fixed.jsonl']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote fixed.jsonl: 56 rows kept, 9 left out');
    const gone = new Set([...fixture.exact.map((d) => d.line), ...fixture.near.map((d) => d.line), ...fixture.pii, ...fixture.outliers]);
    const expected = fixture.text.split('\n').filter((l, i) => l !== '' && !gone.has(i + 1));
    expect(readFileSync(join(work, 'fixed.jsonl'), 'utf8')).toBe(`${expected.join('\n')}\n`);
    expect(readFileSync(join(work, 'data.jsonl'), 'utf8')).toBe(fixture.text);
    const again = await cli(['quality', 'fixed.jsonl', '--json']);
    expect(again.code).toBe(0);
  });
});

describe('bad input: exit 2, one line, nothing written', () => {
  const config = (name: string, quality: string) => {
    const path = join(work, name);
    writeFileSync(path, `name: q\ntask: support\ndomain: returns\nsize: 10\nprovider: { name: demo }\nquality:\n${quality}`);
    return name;
  };
  const cases: [string, () => string[], RegExp][] = [
    ['a judge threshold out of range', () => ['plan', config('t.yaml', '  judge: { enabled: true, threshold: 9 }\n')], /t\.yaml: quality\.judge\.threshold: must be between 1 and 5$/],
    ['an unknown criterion', () => ['plan', config('c.yaml', '  judge: { criteria: [{ name: helpfulness }] }\n')], /c\.yaml: quality\.judge\.criteria\.0\.name: unknown criterion "helpfulness" for a basic dataset/],
    ['an unreadable file', () => ['quality', 'nope.jsonl'], /: not found: nope\.jsonl$/],
    ['a directory that is not a session', () => ['quality', 'emptydir'], /emptydir is a directory but not a session/],
    ['--fix without --out', () => ['quality', 'data.jsonl', '--fix'], /--fix needs --out FILE/],
    ['--out into a missing directory', () => ['quality', 'data.jsonl', '--fix', '--out', 'no/such/dir/x.jsonl'], /--out: directory .*dir does not exist/],
  ];
  test.each(cases)('%s', async (_, args, message) => {
    mkdirSync(join(work, 'emptydir'), { recursive: true });
    const argv = args();
    const before = readdirSync(work).sort();
    const r = await cli(argv);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^synthloom: /);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(work).sort()).toEqual(before);
    expect(existsSync(join(work, 'no'))).toBe(false);
  });
});
