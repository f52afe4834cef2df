/** Issue 15 (8, 9, 11): hostile or broken input files give exit 2 and one line, never a hang or `internal error`. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd, sessionSuite, writeConfig } from '../sessions/helpers.js';

const suite = sessionSuite('inputs', {});

const BOMB = [
  'a: &a [x,x,x,x,x,x,x,x,x]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  '',
].join('\n');

/** Exit 2 with exactly one line on stderr, no stack trace, no `internal error`. */
function expectOneLine(result: { code: number | null; stderr: string }, match: RegExp) {
  expect(result.stderr).not.toMatch(/internal error|    at |bad_alloc/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(match);
  expect(result.code).toBe(2);
}

let sessionDir = '';
async function session(): Promise<string> {
  if (sessionDir) return sessionDir;
  const config = writeConfig({ name: 'base', outputDir: suite.dir, size: 3 });
  const run = await runToEnd(['run', config, '--yes', '--plain'], suite.env());
  expect(run.code, run.stderr).toBe(0);
  sessionDir = join(suite.dir, 'base');
  return sessionDir;
}

function copyOf(name: string, dir: string): string {
  const copy = join(suite.dir, name);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

describe('config files', () => {
  it('a billion-laughs config is exit 2, one line', async () => {
    const path = join(suite.dir, 'bomb.yaml');
    writeFileSync(path, `name: x\ntask: t\ndomain: d\nsize: 1\n${BOMB.replace(/^g:/m, 'instructions:')}`);
    expectOneLine(await runToEnd(['plan', path], suite.env()), /aliases/);
  });

  it('plan /dev/zero and a FIFO are refused before reading', async () => {
    expectOneLine(await runToEnd(['plan', '/dev/zero'], suite.env()), /not a regular file/);
    const fifo = join(suite.dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expectOneLine(await runToEnd(['plan', fifo], suite.env()), /not a regular file/);
  });

  it('a config over 1 MB is refused with its size; 900 KB of instructions plans promptly', async () => {
    const big = join(suite.dir, 'big.yaml');
    writeFileSync(big, `name: big\ntask: t\ndomain: d\nsize: 5\ninstructions: "${'a'.repeat(1_100_000)}"\n`);
    expectOneLine(await runToEnd(['plan', big], suite.env()), /over the 1 MB limit/);
    const long = join(suite.dir, 'long.yaml');
    writeFileSync(long, `name: long\ntask: t\ndomain: d\nsize: 5\ntopics: { depth: 0 }\ninstructions: "${'a'.repeat(900_000)}"\n`);
    const result = await runToEnd(['plan', long, '--json'], suite.env());
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty("fingerprint");
  });
});

describe('session files', () => {
  it('a billion-laughs plan.yaml makes resume exit 2, one line', async () => {
    const dir = copyOf('bomb-plan', await session());
    writeFileSync(join(dir, 'plan.yaml'), BOMB);
    expectOneLine(await runToEnd(['resume', dir, '--yes', '--plain'], suite.env()), /plan\.yaml: too many YAML aliases/);
  });

  it('an empty plan.yaml makes resume exit 2, one line', async () => {
    const dir = copyOf('empty-plan', await session());
    writeFileSync(join(dir, 'plan.yaml'), '');
    expectOneLine(await runToEnd(['resume', dir, '--yes', '--plain'], suite.env()), /plan\.yaml: the plan file is empty/);
  });

  it('a billion-laughs session.yaml makes export exit 2, one line', async () => {
    const dir = copyOf('bomb-session', await session());
    writeFileSync(join(dir, 'session.yaml'), BOMB);
    expectOneLine(await runToEnd(['export', dir], suite.env()), /session\.yaml: too many YAML aliases/);
  });

  it('resume on a deleted directory says it does not exist', async () => {
    const dir = copyOf('deleted', await session());
    rmSync(dir, { recursive: true });
    expect(existsSync(dir)).toBe(false);
    expectOneLine(await runToEnd(['resume', dir, '--yes', '--plain'], suite.env()), /does not exist/);
  });
});

describe('validate on huge or odd files', () => {
  it('a 1 GB file with no newline is exit 2 naming the file and line; /dev/zero is refused', async () => {
    const huge = join(suite.dir, 'huge.jsonl');
    execFileSync('truncate', ['-s', '1G', huge]);
    expectOneLine(await runToEnd(['validate', huge], suite.env()), /huge\.jsonl: line 1 is over 64 MB/);
    expectOneLine(await runToEnd(['validate', '/dev/zero'], suite.env()), /not a regular file/);
  });
});
