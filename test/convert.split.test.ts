/**
 * `split` on a file the user brings: sizes exact to the row for seeds 1..20, every row in exactly one split
 * byte for byte, planted near duplicates kept together and no near-duplicate pair across splits (checked
 * pair by pair with a Jaccard computed here), stratification by a field, and the same seed giving the same files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitFile } from '../src/core/convert/split.js';

let root: string;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const WORDS = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}`);

interface Planted {
  lines: string[];
  /** Indexes of rows that are copies of each other. */
  pairs: [number, number][];
}

/** `n` openai rows with a `meta.lang` field (60/30/10), plus near copies (one word changed) and case-changed exact copies. */
function makeRows(n: number, seed: number): Planted {
  const random = lcg(seed);
  const sentence = (k: number) => Array.from({ length: k }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
  const rows: { user: string; answer: string; lang: string }[] = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    rows.push({ user: sentence(12), answer: sentence(40), lang: r < 0.6 ? 'en' : r < 0.9 ? 'de' : 'fr' });
  }
  const pairs: [number, number][] = [];
  for (let k = 0; k < Math.floor(n / 20); k++) {
    const from = Math.floor(random() * rows.length);
    const src = rows[from]!;
    const words = src.answer.split(' ');
    if (k % 2 === 0) words[5] = 'changed';
    rows.push({ user: k % 2 === 0 ? src.user : src.user.toUpperCase(), answer: words.join(' '), lang: src.lang });
    pairs.push([from, rows.length - 1]);
  }
  const lines = rows.map((r) => JSON.stringify({ messages: [{ role: 'user', content: r.user }, { role: 'assistant', content: r.answer }], meta: { lang: r.lang } }));
  return { lines, pairs };
}

function shingles(line: string): Set<string> {
  const row = JSON.parse(line) as { messages: { content: string }[] };
  const words = row.messages.map((m) => m.content).join('\n').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ');
  const out = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i++) out.add(words.slice(i, i + 3).join(' '));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

function readSplits(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of ['train', 'validation', 'test']) {
    try {
      out[name] = readFileSync(join(dir, `${name}.jsonl`), 'utf8').split('\n').filter(Boolean);
    } catch {
      out[name] = [];
    }
  }
  return out;
}

let planted: Planted;
let file: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-split-'));
  planted = makeRows(950, 3); // 950 + 47 copies = 997 rows
  file = join(root, 'rows.jsonl');
  writeFileSync(file, `${planted.lines.join('\n')}\n`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('split', () => {
  it('997 rows: 797/100/100 exactly for seeds 1..20, each row once, copies in one split', () => {
    expect(planted.lines).toHaveLength(997);
    for (let seed = 1; seed <= 20; seed++) {
      const out = join(root, `seed-${seed}`);
      const result = splitFile(file, { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, seed, out });
      const splits = readSplits(out);
      expect([splits.train!.length, splits.validation!.length, splits.test!.length], `seed ${seed}`).toEqual([797, 100, 100]);
      expect(result.files.map((f) => f.rows)).toEqual([797, 100, 100]);
      expect(result.notes.filter((n) => n.includes('differ from the exact'))).toEqual([]);
      const all = [...splits.train!, ...splits.validation!, ...splits.test!].sort();
      expect(all).toEqual([...planted.lines].sort());
      const splitOfLine = new Map<string, string>();
      for (const [name, lines] of Object.entries(splits)) for (const l of lines) splitOfLine.set(l, name);
      for (const [a, b] of planted.pairs) expect(splitOfLine.get(planted.lines[a]!), `seed ${seed} pair ${a},${b}`).toBe(splitOfLine.get(planted.lines[b]!));
      expect(result.nearDuplicateGroups).toBeGreaterThanOrEqual(40);
    }
  });

  it('no pair of rows in different splits is a near duplicate (every pair checked)', () => {
    const out = join(root, 'pairs');
    splitFile(file, { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 7, out });
    const splits = readSplits(out);
    const sets = Object.fromEntries(Object.entries(splits).map(([k, lines]) => [k, lines.map(shingles)]));
    const names = Object.keys(sets);
    let checked = 0;
    const across: string[] = [];
    for (let x = 0; x < names.length; x++) {
      for (let y = x + 1; y < names.length; y++) {
        for (const a of sets[names[x]!]!) {
          for (const b of sets[names[y]!]!) {
            checked++;
            if (jaccard(a, b) >= 0.8) across.push(`${names[x]} / ${names[y]}`);
          }
        }
      }
    }
    expect(checked).toBe(797 * 100 + 797 * 100 + 100 * 100);
    expect(across).toEqual([]);
  });

  it('--stratify meta.lang keeps each value in proportion (floor or ceiling of its share)', () => {
    const out = join(root, 'strat');
    const result = splitFile(file, { ratios: { train: 0.7, validation: 0.2, test: 0.1 }, seed: 5, out, stratify: 'meta.lang' });
    const splits = readSplits(out);
    const count = (lines: string[], lang: string) => lines.filter((l) => (JSON.parse(l) as { meta: { lang: string } }).meta.lang === lang).length;
    for (const lang of ['en', 'de', 'fr']) {
      const total = planted.lines.filter((l) => l.includes(`"lang":"${lang}"`)).length;
      [0.7, 0.2, 0.1].forEach((r, s) => {
        const got = count(splits[['train', 'validation', 'test'][s]!]!, lang);
        expect(got, `${lang} split ${s}: ${got} of ${total}`).toBeGreaterThanOrEqual(Math.floor(total * r - 1e-9));
        expect(got, `${lang} split ${s}: ${got} of ${total}`).toBeLessThanOrEqual(Math.ceil(total * r + 1e-9));
      });
    }
    expect(result.categories.map((c) => c.name).sort()).toEqual(['de', 'en', 'fr']);
  });

  it('the same seed writes the same files; another seed another order', () => {
    const a = join(root, 'same-a');
    const b = join(root, 'same-b');
    const c = join(root, 'other');
    for (const [dir, seed] of [[a, 11], [b, 11], [c, 12]] as const) splitFile(file, { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, seed, out: dir });
    expect(readFileSync(join(a, 'train.jsonl'), 'utf8')).toBe(readFileSync(join(b, 'train.jsonl'), 'utf8'));
    expect(readFileSync(join(a, 'train.jsonl'), 'utf8')).not.toBe(readFileSync(join(c, 'train.jsonl'), 'utf8'));
  });
});
