import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { ExampleGuard, examplesFor } from '../../src/core/examples/fewshot.js';
import { loadExamples } from '../../src/core/examples/load.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synthloom-examples-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
function file(name: string, rows: unknown[] | string): string {
  writeFileSync(join(dir, name), typeof rows === 'string' ? rows : lines(rows));
  return name;
}
function refusal(name: string): string {
  try {
    loadExamples({ path: name }, dir);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return (err as Error).message;
  }
  throw new Error('expected the examples file to be refused');
}

const chat = (q: string, a: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

describe('few-shot examples', () => {
  it('reads every supported shape into chat messages', () => {
    const expected = [{ role: 'user', content: 'Where is my parcel?' }, { role: 'assistant', content: 'It ships tomorrow.' }];
    const shapes: Record<string, unknown> = {
      openai: chat('Where is my parcel?', 'It ships tomorrow.'),
      trl: { prompt: [{ role: 'user', content: 'Where is my parcel?' }], completion: [{ role: 'assistant', content: 'It ships tomorrow.' }] },
      alpaca: { instruction: 'Where is my parcel?', input: '', output: 'It ships tomorrow.' },
      sharegpt: { conversations: [{ from: 'human', value: 'Where is my parcel?' }, { from: 'gpt', value: 'It ships tomorrow.' }] },
    };
    for (const [shape, row] of Object.entries(shapes)) {
      expect(loadExamples({ path: file(`${shape}.jsonl`, [row]) }, dir)).toEqual([{ line: 1, messages: expected }]);
    }
  });

  it('an unknown shape, a bad line, a missing file: exit 2 naming the file and line', () => {
    expect(refusal(file('unknown.jsonl', [{ question: 'q', answer: 'a' }]))).toMatch(/^unknown\.jsonl line 1: not an example in a format synthloom reads/);
    expect(refusal(file('mixed.jsonl', [chat('q', 'a'), { question: 'q' }]))).toMatch(/^mixed\.jsonl line 2: not an example in the file's format \(openai\)/);
    expect(refusal(file('broken.jsonl', `${JSON.stringify(chat('q', 'a'))}\n{oops\n`))).toBe('broken.jsonl line 2: not valid JSON');
    expect(refusal(file('noanswer.jsonl', [{ messages: [{ role: 'user', content: 'q' }] }]))).toMatch(/^noanswer\.jsonl line 1: .*needs a user turn and an assistant answer/);
    expect(refusal('absent.jsonl')).toBe('absent.jsonl: examples file not found');
  });

  it('k examples per request, rotated deterministically', () => {
    const all = ['a', 'b', 'c', 'd', 'e'];
    expect(examplesFor(all, 2, 0)).toEqual(['a', 'b']);
    expect(examplesFor(all, 2, 1)).toEqual(['c', 'd']);
    expect(examplesFor(all, 2, 2)).toEqual(['e', 'a']);
    expect(examplesFor(all, 2, 7)).toEqual(examplesFor(all, 2, 7));
    expect(examplesFor(all, 9, 3)).toHaveLength(5);
    const seen = new Set(Array.from({ length: 5 }, (_, r) => examplesFor(all, 2, r)).flat());
    expect(seen.size).toBe(5);
  });

  it('a sample equal to an example (or nearly) is a duplicate; a different one is not', () => {
    const examples = loadExamples({ path: file('guard.jsonl', [chat('How do I return a damaged blender bought last week?', 'Send us a photo of the damage and we will email a free return label within a day.')]) }, dir);
    const guard = new ExampleGuard(examples);
    expect(guard.check(examples[0]!.messages)).toMatchObject({ duplicate: true, kind: 'exact' });
    const copy = examples[0]!.messages.map((m) => ({ ...m, content: m.content.toUpperCase() }));
    expect(guard.check(copy)).toMatchObject({ duplicate: true });
    expect(guard.check([{ role: 'user', content: 'Can I change my delivery address?' }, { role: 'assistant', content: 'Yes, until the order ships.' }])).toEqual({ duplicate: false });
  });
});
