/**
 * `synthloom import` on a log with ratings, success flags, PII and overlong conversations, through the
 * built CLI in a child process: exactly the rows the filters say, every planted PII string gone, each row
 * with its file and line, and a session that `sessions` lists, `export` exports and whose files pass
 * `validate`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessions } from '../src/core/session/index.js';
import { validateFile } from '../src/core/validate/index.js';
import { type LogRow, writeLog } from './fixtures/import/logs.js';

const CLI = resolve('dist/cli.js');
let root: string;
let log: string;
let facts: LogRow[];

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Imported {
  id: string;
  slot: string;
  category: string;
  messages: { role: string; content: string; tool_calls?: { function: { arguments: string } }[] }[];
  imported_from: { file: string; line: number };
}

function samplesOf(dir: string): Imported[] {
  return readFileSync(join(dir, 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Imported);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-import-'));
  log = join(root, 'logs.jsonl');
  facts = writeLog(log);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('import', () => {
  it('keeps exactly the filtered rows, redacts every PII hit, and the session exports and validates', () => {
    const out = join(root, 'datasets', 'support-logs');
    const r = cli(['import', log, '--out', out, '--where', 'rating>=4', '--where', 'success=true', '--max-turns', '3', '--long', 'drop', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = facts.filter((f) => f.rating >= 4 && f.success && f.turns <= 3);
    expect(expected.length).toBeGreaterThan(10);
    const samples = samplesOf(out);
    expect(samples.map((s) => s.imported_from.line)).toEqual(expected.map((f) => f.line));
    for (const s of samples) expect(s.imported_from.file).toBe(log);
    const result = JSON.parse(r.stdout) as { imported: number; read: number; tooLong: number; pii: { rows: number; hits: Record<string, number> } };
    expect(result).toMatchObject({ imported: expected.length, read: facts.length });
    expect(result.tooLong).toBe(facts.filter((f) => f.rating >= 4 && f.success && f.turns > 3).length);

    const text = readFileSync(join(out, 'samples.jsonl'), 'utf8');
    const planted = expected.flatMap((f) => f.pii);
    expect(planted.length).toBeGreaterThanOrEqual(5);
    for (const p of planted) expect(text, p).not.toContain(p);
    expect(text).toContain('[EMAIL]');
    expect(text).toContain('[CARD]');
    expect(result.pii.rows).toBe(expected.filter((f) => f.pii.length > 0).length);
    // Tool-call arguments are still JSON objects after redaction.
    expect(samples.some((s) => s.messages.some((m) => m.tool_calls))).toBe(true);
    expect(text).toContain('[IP]');
    for (const s of samples) for (const m of s.messages) for (const c of m.tool_calls ?? []) expect(JSON.parse(c.function.arguments)).toHaveProperty('email', '[EMAIL]');

    const listed = listSessions(join(root, 'datasets'));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'support-logs', status: 'done', done: expected.length, target: expected.length });

    const exp = cli(['export', out]);
    expect(exp.stderr).toBe('');
    expect(exp.code).toBe(0);
    const files = readdirSync(join(out, 'dataset')).filter((f) => f.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThan(0);
    let rows = 0;
    for (const f of files) {
      const report = validateFile(join(out, 'dataset', f));
      expect(report.problems.filter((p) => p.severity === 'error'), f).toEqual([]);
      rows += report.rows;
    }
    expect(rows).toBe(expected.length);
    const v = cli(['validate', join(out, 'dataset', 'train.jsonl')]);
    expect(v.code).toBe(0);
    expect(existsSync(`${out}.import-tmp-${process.pid}`)).toBe(false);

    // Every plan slot is filled: a resume against a provider that refuses connections makes no request and ends done.
    const yaml = join(out, 'session.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('base_url: null', 'base_url: http://127.0.0.1:9/v1'));
    const resumed = cli(['resume', out, '--yes', '--plain'], { OPENAI_API_KEY: 'sk-test-not-used' });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`done: ${expected.length}/${expected.length} samples`);
    expect(samplesOf(out)).toHaveLength(expected.length);
  });

  it('cuts long conversations to --max-turns, replaces the system prompt, and rejects rows with PII under --pii reject', () => {
    const out = join(root, 'cut');
    const r = cli(['import', log, '--out', out, '--max-turns', '2', '--system', 'replace:Be brief.', '--pii', 'reject', '--json']);
    expect(r.code).toBe(0);
    // PII in a turn the limit cuts away is gone before the check.
    const hasPii = (f: LogRow) => f.piiTurns.some((t) => t < 2);
    const expected = facts.filter((f) => !hasPii(f));
    expect(facts.some((f) => f.pii.length > 0 && !hasPii(f))).toBe(true);
    const samples = samplesOf(out);
    expect(samples.map((s) => s.imported_from.line)).toEqual(expected.map((f) => f.line));
    for (const s of samples) {
      expect(s.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
      expect(s.messages.filter((m) => m.role === 'system')).toHaveLength(1);
      expect(s.messages.filter((m) => m.role === 'user').length).toBeLessThanOrEqual(2);
      expect(s.messages[s.messages.length - 1]!.role).toBe('assistant');
    }
    const cut = samples.filter((s) => facts[s.imported_from.line - 1]!.turns > 2);
    expect(cut.length).toBeGreaterThan(0);
    const summary = JSON.parse(r.stdout) as { pii: { rejected: number }; cut: number };
    expect(summary.pii.rejected).toBe(facts.filter(hasPii).length);
    expect(readFileSync(join(out, 'session.yaml'), 'utf8')).toContain('system_prompt: Be brief.');
  });

  it('refuses an --out that already holds files, and writes nothing when no row is left', () => {
    const full = join(root, 'full');
    cli(['import', log, '--out', full]);
    const again = cli(['import', log, '--out', full]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    const none = cli(['import', log, '--out', join(root, 'none'), '--where', 'rating>9']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no row .* is left after the filters/);
    expect(existsSync(join(root, 'none'))).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('import-tmp'))).toEqual([]);
  });

  it('imports a sharegpt log with a category field', () => {
    const file = join(root, 'share.jsonl');
    const rows = [
      { conversations: [{ from: 'human', value: 'Hi, my mail is a.b@example.com' }, { from: 'gpt', value: 'Hello!' }], team: 'sales', rating: 5 },
      { conversations: [{ from: 'human', value: 'Where is my order?' }, { from: 'gpt', value: 'On its way.' }], team: 'support', rating: 2 },
    ];
    writeFileSync(file, rows.map((x) => JSON.stringify(x)).join('\n') + '\n');
    const out = join(root, 'share');
    const r = cli(['import', file, '--out', out, '--category', 'team']);
    expect(r.code).toBe(0);
    const samples = samplesOf(out);
    expect(samples.map((s) => s.category)).toEqual(['sales', 'support']);
    expect(samples[0]!.messages[0]!.content).toBe('Hi, my mail is [EMAIL]');
  });
});
