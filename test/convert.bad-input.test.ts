/**
 * Bad input to convert, split and import, through the built CLI: exit 2 and one line on stderr naming the
 * file and line, nothing written; with --skip-bad the good rows go through and the bad lines are listed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertCommand, splitCommand } from '../src/commands/data-tools.js';
import type { CommandIO } from '../src/commands/export.js';
import { importCommand } from '../src/commands/import.js';
import { UsageError } from '../src/core/errors.js';

const CLI = resolve('dist/cli.js');
let root: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const chat = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
const alpaca = JSON.stringify({ instruction: 'Say hi', input: '', output: 'Hi' });

function file(name: string, lines: string[]): string {
  const path = join(root, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-bad-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function expectOneLine(r: { code: number | null; stderr: string }, ...parts: (string | RegExp)[]) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  for (const p of parts) expect(lines[0]).toMatch(p);
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
}

describe('bad input', () => {
  it('a row in no known format: exit 2 naming the line', () => {
    const f = file('unknown.jsonl', [chat('a', 'b'), JSON.stringify({ text: 'hello' })]);
    const out = join(root, 'out-unknown.jsonl');
    expectOneLine(cli(['convert', f, '--to', 'sharegpt', '--out', out]), /unknown\.jsonl: line 2: not a row of any known format/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('a file mixing formats: exit 2 naming the first line of the other format', () => {
    const f = file('mixed.jsonl', [chat('a', 'b'), chat('c', 'd'), alpaca]);
    expectOneLine(cli(['convert', f, '--to', 'trl', '--out', join(root, 'o.jsonl')]), /mixed\.jsonl: line 3: a alpaca row, but line 1 is openai: the file mixes formats/);
    expectOneLine(cli(['split', f, '--out', join(root, 'split-mixed')]), /line 3: .*mixes formats/);
    expect(existsSync(join(root, 'split-mixed'))).toBe(false);
  });

  it('a row with no assistant turn: exit 2 naming the line, in convert, split and import', () => {
    const f = file('noanswer.jsonl', [chat('a', 'b'), chat('c', 'd'), JSON.stringify({ messages: [{ role: 'user', content: 'only a question' }] })]);
    expectOneLine(cli(['convert', f, '--to', 'alpaca', '--out', join(root, 'o2.jsonl')]), /noanswer\.jsonl: line 3: openai: no assistant turn/);
    expectOneLine(cli(['split', f, '--out', join(root, 's2')]), /line 3: .*no assistant turn/);
    expectOneLine(cli(['import', f, '--out', join(root, 'i2')]), /line 3: .*no assistant turn/);
    expect(existsSync(join(root, 'i2'))).toBe(false);
  });

  it('not JSON, a bad --from, a bad sharegpt observation: the line and what is wrong', () => {
    const f = file('notjson.jsonl', [chat('a', 'b'), '{"messages": [', chat('c', 'd')]);
    expectOneLine(cli(['convert', f, '--to', 'openai', '--out', join(root, 'o3.jsonl')]), /notjson\.jsonl: line 2: not valid JSON/);
    const g = file('chat.jsonl', [chat('a', 'b')]);
    expectOneLine(cli(['convert', g, '--from', 'sharegpt', '--to', 'openai', '--out', join(root, 'o4.jsonl')]), /chat\.jsonl: line 1: sharegpt: conversations must be/);
    const call = JSON.stringify({ name: 'f', arguments: {} });
    const h = file('obs.jsonl', [JSON.stringify({ conversations: [{ from: 'human', value: 'q' }, { from: 'function_call', value: JSON.stringify([JSON.parse(call), JSON.parse(call)]) }, { from: 'observation', value: 'one result' }, { from: 'gpt', value: 'a' }] })]);
    expectOneLine(cli(['convert', h, '--to', 'openai', '--out', join(root, 'o5.jsonl')]), /obs\.jsonl: line 1: sharegpt: conversations\[2\] answers 2 parallel calls/);
  });

  it('bad flags: a one-line UsageError (exit 2) each (in process: the CLI maps UsageError to exit 2, tested above)', async () => {
    const g = file('ok.jsonl', [chat('a', 'b')]);
    const io = { stdout: new PassThrough(), stderr: new PassThrough() };
    const cases: [(argv: string[], io: CommandIO) => Promise<number>, string[], RegExp][] = [
      [convertCommand, [g, '--to', 'csv', '--out', join(root, 'x.jsonl')], /--to: must be one of/],
      [convertCommand, [g, '--from', 'xml', '--to', 'trl', '--out', join(root, 'x.jsonl')], /--from: must be auto or one of/],
      [convertCommand, [g, '--to', 'trl'], /--out is required/],
      [convertCommand, [join(root, 'missing.jsonl'), '--to', 'trl', '--out', join(root, 'x.jsonl')], /file not found/],
      [splitCommand, [g, '--splits', '0.5,0.1', '--out', join(root, 'x')], /--splits: ratios must add up to 1/],
      [importCommand, [g, '--out', join(root, 'x'), '--where', 'rating>>4'], /--where: "rating>>4"/],
      [importCommand, [g, '--out', join(root, 'x'), '--system', 'replace:'], /--system: must be keep, drop or replace:TEXT/],
      [importCommand, [g, '--out', join(root, 'x'), '--pii', 'mask'], /--pii: must be redact, reject or off/],
      [importCommand, [g, '--out', join(root, 'x'), '--max-turns', '0'], /--max-turns: must be a whole number of at least 1/],
    ];
    for (const [command, argv, message] of cases) {
      const err = await command(argv, io).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as UsageError).message).toMatch(message);
      expect((err as UsageError).message).not.toContain('\n');
    }
    expect(existsSync(join(root, 'x'))).toBe(false);
  });

  it('--skip-bad: the good rows go through and the skipped lines are listed', () => {
    const f = file('some-bad.jsonl', [chat('q1', 'a1'), '{oops', chat('q2', 'a2'), JSON.stringify({ messages: [{ role: 'user', content: 'q' }] }), JSON.stringify({ text: 1 })]);
    const out = join(root, 'skipped.jsonl');
    const r = cli(['convert', f, '--to', 'sharegpt', '--out', out, '--skip-bad']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 of 2 rows written');
    expect(r.stdout).toMatch(/3 bad row\(s\) skipped \(line 2: not valid JSON; line 4: openai: no assistant turn .*; line 5: not a row of any known format/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
    const s = cli(['split', f, '--out', join(root, 'split-skip'), '--skip-bad', '--splits', '0.5,0.5']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('3 bad row(s) skipped');
  });
});
