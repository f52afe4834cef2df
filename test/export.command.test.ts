import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../src/commands/export.js';
import { validateCommand } from '../src/commands/validate.js';
import { UsageError } from '../src/core/errors.js';
import { type BuiltSession, buildChatSession } from './fixtures/export/build-session.js';

let root: string;
let chat: BuiltSession;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-cmd-'));
  chat = buildChatSession(join(root, 'chat'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, done) {
        into.push(String(chunk));
        done();
      },
    });
  return { stdout: sink(out), stderr: sink(err), out: () => out.join(''), err: () => err.join('') };
}

async function usageError(run: Promise<number>): Promise<string> {
  try {
    await run;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('exportCommand', () => {
  it('exports with the flags given and lists what it wrote', async () => {
    const x = io();
    const code = await exportCommand([chat.dir, '--format', 'trl', '--splits', '0.8,0.1,0.1', '--seed', '7'], x);
    expect(code).toBe(0);
    expect(x.out()).toMatch(/train +160 rows .*train\.jsonl/);
    expect(x.out()).toMatch(/validation +20 rows/);
    expect(x.out()).toContain(`check it: synthloom validate ${join(chat.dir, 'dataset', 'train.jsonl')}`);
    expect(readFileSync(join(chat.dir, 'dataset', 'dataset_info.txt'), 'utf8')).toContain('format: trl');
  });

  it('takes two ratios as a split without test', async () => {
    const x = io();
    expect(await exportCommand([chat.dir, '--splits', '0.9,0.1'], x)).toBe(0);
    expect(x.out()).not.toMatch(/test +\d+ rows/);
  });

  it('names the flag and the problem for bad input', async () => {
    expect(await usageError(exportCommand([chat.dir, '--splits', '0.8,0.3'], io()))).toBe('--splits: ratios must add up to 1 (0.8,0.3 adds up to 1.1)');
    expect(await usageError(exportCommand([chat.dir, '--splits', 'a,b'], io()))).toMatch(/^--splits: must be up to three numbers/);
    expect(await usageError(exportCommand([chat.dir, '--splits', '0,0.5,0.5'], io()))).toBe('--splits: the train ratio must be greater than 0');
    expect(await usageError(exportCommand([chat.dir, '--format', 'csv'], io()))).toBe('--format: must be one of openai, alpaca, sharegpt, trl (got "csv")');
    expect(await usageError(exportCommand([chat.dir, '--seed', '1.5'], io()))).toBe('--seed: must be a whole number (got "1.5")');
    expect(await usageError(exportCommand([chat.dir, '--trl-style', 'chat'], io()))).toMatch(/^--trl-style: must be messages or prompt-completion/);
    expect(await usageError(exportCommand([chat.dir, '--colour'], io()))).toMatch(/^export: Unknown option '--colour'/);
    expect(await usageError(exportCommand([], io()))).toMatch(/^export: give exactly one SESSION_DIR/);
    expect(await usageError(exportCommand([join(root, 'nope')], io()))).toBe(`session directory not found: ${join(root, 'nope')}`);
  });
});

describe('validateCommand', () => {
  it('exits 0 for the exported files and 1 when a file has an error', async () => {
    await exportCommand([chat.dir, '--format', 'openai'], io());
    const ok = io();
    const files = ['train', 'validation', 'test'].map((s) => join(chat.dir, 'dataset', `${s}.jsonl`));
    expect(await validateCommand([...files, '--format', 'openai'], ok)).toBe(0);
    expect(ok.out()).toMatch(/OK: 0 errors, 0 warnings/);

    const x = io();
    expect(await validateCommand([files[0] as string, join(chat.dir, 'samples.jsonl')], x)).toBe(1);
    // samples.jsonl is the canonical form, not a trainer format: its extra keys are errors.
    expect(x.out()).toMatch(/unknown key "id"/);
    expect(x.out()).toMatch(/FAILED/);
  });

  it('--json prints one report object a file', async () => {
    const x = io();
    await validateCommand([join(chat.dir, 'dataset', 'train.jsonl'), '--json'], x);
    const report = JSON.parse(x.out().trim());
    expect(report).toMatchObject({ format: 'openai', rows: 160, errors: 0 });
    expect(report.tokens.examples).toBe(160);
  });

  it('bad usage is a UsageError naming the flag or file', async () => {
    expect(await usageError(validateCommand([], io()))).toMatch(/^validate: give a FILE.jsonl/);
    expect(await usageError(validateCommand([join(root, 'missing.jsonl')], io()))).toBe(`file not found: ${join(root, 'missing.jsonl')}`);
    expect(await usageError(validateCommand(['x.jsonl', '--format', 'csv'], io()))).toMatch(/^--format: must be one of/);
  });
});
