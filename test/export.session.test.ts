import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { exportSession } from '../src/core/export/index.js';
import { countTokens } from '../src/core/tokens.js';
import { buildAgentSession, buildChatSession } from './fixtures/export/build-session.js';
import { checkOpenai, matchRows, readRows } from './fixtures/export/independent-readers.js';

let root: string;
let n = 0;
const fresh = (name: string) => join(root, `${name}-${n++}`);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-session-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('dataset/ is rebuilt from samples.jsonl only', () => {
  it('skips a torn last line left by a crash and says so', () => {
    const s = buildChatSession(fresh('torn'));
    appendFileSync(join(s.dir, 'samples.jsonl'), '{"id":"s-9999","slot":"t-x_r0","category":"billing","messages":[{"role":"us');
    const result = exportSession(s.dir);
    expect(result.files.reduce((a, f) => a + f.rows, 0)).toBe(200);
    expect(result.notes.join('\n')).toMatch(/torn line/);
  });

  it('skips lines that are not samples, naming their line numbers', () => {
    const s = buildChatSession(fresh('bad-line'));
    const lines = readFileSync(join(s.dir, 'samples.jsonl'), 'utf8').split('\n');
    lines.splice(4, 0, 'not json at all', '{"id":"x","category":"billing","messages":[]}');
    writeFileSync(join(s.dir, 'samples.jsonl'), lines.join('\n'));
    const result = exportSession(s.dir);
    expect(result.files.reduce((a, f) => a + f.rows, 0)).toBe(200);
    expect(result.notes).toContain('2 line(s) of samples.jsonl are not valid samples and were skipped (line 5, 6)');
  });

  it('leaves out the samples listed in removed.jsonl', () => {
    const s = buildChatSession(fresh('removed'));
    const result = exportSession(s.dir);
    const rows = result.files.flatMap((f) => readRows(f.path));
    const ids = new Set([...matchRows(rows, s.samples, checkOpenai).values()].map((x) => x.id));
    for (const id of s.removedIds) expect(ids.has(id)).toBe(false);
    expect(result.notes).toContain('3 sample(s) deleted in the sample browser (removed.jsonl) are left out');
  });

  it('takes format, splits and seed from session.yaml when not given', () => {
    const s = buildChatSession(fresh('defaults'));
    const implicit = exportSession(s.dir);
    const train = readFileSync(implicit.files[0]!.path);
    exportSession(s.dir, { format: 'openai', seed: 42, splits: { train: 0.8, validation: 0.1, test: 0.1 } });
    expect(readFileSync(implicit.files[0]!.path).equals(train)).toBe(true);
  });

  it('deletes a split file the new export does not produce, and lists only written splits in the card', () => {
    const s = buildChatSession(fresh('stale'));
    exportSession(s.dir);
    expect(existsSync(join(s.dir, 'dataset', 'test.jsonl'))).toBe(true);
    const result = exportSession(s.dir, { splits: { train: 0.9, validation: 0.1, test: 0 } });
    expect(result.files.map((f) => [f.split, f.rows])).toEqual([
      ['train', 180],
      ['validation', 20],
    ]);
    expect(existsSync(join(s.dir, 'dataset', 'test.jsonl'))).toBe(false);
    const card = frontMatter(readFileSync(result.cardPath, 'utf8'));
    expect(card.configs).toEqual([
      { config_name: 'default', data_files: [{ split: 'train', path: 'train.jsonl' }, { split: 'validation', path: 'validation.jsonl' }] },
    ]);
  });

  it('writes no file for a split whose ratio rounds to no rows, and says why', () => {
    const s = buildChatSession(fresh('tiny-split'));
    const result = exportSession(s.dir, { splits: { train: 0.998, validation: 0.001, test: 0.001 } });
    expect(result.files.map((f) => f.split)).toEqual(['train']);
    expect(result.notes).toContain('validation: a ratio of 0.001 of 200 rows rounds to no rows, so no validation.jsonl was written');
  });

  it('leaves no temp files, removes ones abandoned by a crashed export, and keeps files it does not own', () => {
    const s = buildChatSession(fresh('tmp'));
    mkdirSync(join(s.dir, 'dataset'));
    writeFileSync(join(s.dir, 'dataset', 'train.jsonl.tmp-999999999'), '{"half":');
    writeFileSync(join(s.dir, 'dataset', 'my-notes.md'), 'mine');
    exportSession(s.dir);
    expect(readdirSync(join(s.dir, 'dataset')).sort()).toEqual(['.export.json', 'README.md', 'axolotl.yaml', 'dataset_info.json', 'dataset_info.txt', 'my-notes.md', 'quality.json', 'test.jsonl', 'train.jsonl', 'validation.jsonl']);
  });

  it('refuses a directory without session.yaml, a session without samples, and --trl-style on another format', () => {
    const empty = fresh('empty');
    mkdirSync(empty);
    expect(() => exportSession(empty)).toThrow(/not a session directory \(no session.yaml\)/);
    const s = buildChatSession(fresh('no-samples'));
    writeFileSync(join(s.dir, 'samples.jsonl'), '');
    expect(() => exportSession(s.dir)).toThrow(UsageError);
    expect(() => exportSession(s.dir)).toThrow(/no samples to export/);
    const t = buildChatSession(fresh('style'));
    expect(() => exportSession(t.dir, { format: 'openai', trlStyle: 'prompt-completion' })).toThrow(/--trl-style: applies only to the trl format/);
  });

  it('notes a field whose JSON type changes between rows (the HF loader would fail)', () => {
    const s = buildAgentSession(fresh('types'));
    const path = join(s.dir, 'samples.jsonl');
    const text = readFileSync(path, 'utf8').replace('"arguments":"{\\"order_id\\":\\"A1000\\"}"', '"arguments":"{\\"order_id\\":1000}"');
    writeFileSync(path, text);
    const result = exportSession(s.dir, { format: 'trl' });
    expect(result.notes.join('\n')).toMatch(/field messages\[\]\.tool_calls\[\]\.function\.arguments\.order_id is a (number|string) here but a (string|number) on line/);
  });
});

function frontMatter(card: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!m) throw new Error('no front matter');
  return parseYaml(m[1] as string) as Record<string, unknown>;
}

describe('dataset_info.txt and the dataset card', () => {
  it('dataset_info.txt holds the SPEC 8 statistics', () => {
    const s = buildChatSession(fresh('info'));
    const result = exportSession(s.dir);
    const info = readFileSync(result.infoPath, 'utf8');
    const users = s.samples.flatMap((x) => x.messages.filter((m) => m.role === 'user'));
    const assistants = s.samples.flatMap((x) => x.messages.filter((m) => m.role === 'assistant'));
    const avg = (ms: { content: string }[]) => (ms.reduce((a, m) => a + countTokens(m.content), 0) / ms.length).toFixed(1);
    const multi = s.samples.filter((x) => x.messages.filter((m) => m.role === 'user').length > 1).length;
    const billing = s.samples.filter((x) => x.category === 'billing').length;
    for (const expected of [
      'model: gpt-4.1-mini (provider openai)',
      'generated: 2026-11-20',
      /\n {2}train +160 +train\.jsonl\n {2}validation +20 +validation\.jsonl\n {2}test +20 +test\.jsonl\n {2}total +200\n/,
      new RegExp(`\\n {2}billing +\\d+ +\\d+ +\\d+ +${billing}\\n`),
      `average user message: ${avg(users)} tokens (${users.length} messages)`,
      `average assistant message: ${avg(assistants)} tokens (${assistants.length} messages)`,
      `multi-turn: ${multi} of 200 samples (${((100 * multi) / 200).toFixed(1)}%)`,
      'system prompts: 1 distinct, in 200 of 200 samples (100.0%)',
      'reasoning: 20 samples',
      'duplicates removed during generation: 2',
      'near-duplicate groups kept whole in one split: 8 (17 rows, 4 exact repeats)',
      'failures by kind: server 3, parse 2, duplicate 1',
      'tokens: 81,234 input, 40,321 output',
      'cost: $0.0972 USD',
    ]) {
      if (typeof expected === 'string') expect(info).toContain(expected);
      else expect(info).toMatch(expected);
    }
  });

  it('the card front matter is what the Hub reads, and the body says how the data was made', () => {
    const s = buildChatSession(fresh('card'));
    const result = exportSession(s.dir);
    const card = readFileSync(result.cardPath, 'utf8');
    const meta = frontMatter(card);
    expect(meta.license).toBe('other');
    expect(meta.task_categories).toEqual(['text-generation']);
    expect(meta.size_categories).toEqual(['n<1K']);
    expect(meta.tags).toEqual(expect.arrayContaining(['synthetic', 'synthloom', 'customer-support']));
    expect(meta.configs).toEqual([
      {
        config_name: 'default',
        data_files: ['train', 'validation', 'test'].map((split) => ({ split, path: `${split}.jsonl` })),
      },
    ]);
    expect(card).toContain('## How it was generated');
    expect(card).toContain('- Model: gpt-4.1-mini (provider `openai`)');
    expect(card).toContain('- Generated: 2026-11-20');
    expect(card).toMatch(/license is `other`/);
    expect(card).not.toMatch(/Demo data/);
  });

  it('warns in the card and the statistics when the samples are demo data', () => {
    const s = buildChatSession(fresh('demo'), { demo: true });
    const result = exportSession(s.dir);
    expect(readFileSync(result.cardPath, 'utf8')).toContain('> **Demo data.** 200 of 200 examples were made by synthloom\'s offline demo provider');
    expect(readFileSync(result.infoPath, 'utf8')).toContain('DEMO DATA: 200 sample(s) come from the offline demo provider');
  });

  it('a session without a system prompt says none and gives alpaca rows no system field', () => {
    const s = buildChatSession(fresh('no-system'), { systemPrompt: null });
    const result = exportSession(s.dir, { format: 'alpaca' });
    expect(readFileSync(result.infoPath, 'utf8')).toContain('system prompts: none');
    expect(result.files.flatMap((f) => readRows(f.path)).some((r) => 'system' in r)).toBe(false);
  });
});
