import { describe, expect, it } from 'vitest';
import { DuplicateIndex, hashText, normalizeText, shingleHashes } from '../src/core/minhash.js';

/** A seeded generator of distinct-looking words, so every test text is reproducible. */
function words(count: number, seed: number): string[] {
  let s = seed >>> 0;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(`w${(s >>> 8).toString(36)}`);
  }
  return out;
}

/** Replaces every `step`-th word, starting at `offset`, with a fresh one. */
function edit(base: string[], step: number, seed: number, offset = 0): string[] {
  const fresh = words(base.length, seed);
  return base.map((w, i) => (i % step === offset ? (fresh[i] as string) : w));
}

function jaccard(a: string, b: string): number {
  const A = new Set(shingleHashes(normalizeText(a)));
  const B = new Set(shingleHashes(normalizeText(b)));
  let shared = 0;
  for (const x of A) if (B.has(x)) shared++;
  return shared / (A.size + B.size - shared);
}

describe('normalizeText', () => {
  it('lowercases, strips punctuation and collapses whitespace', () => {
    expect(normalizeText('  Hello,   WORLD!\n\tIt\'s  me. ')).toBe('hello world it s me');
  });
});

describe('DuplicateIndex exact duplicates', () => {
  it('catches the same text modulo case, whitespace and punctuation', () => {
    const index = new DuplicateIndex();
    index.add('How do I return a pair of shoes? They do not fit.');
    expect(index.check('how do i return a pair of shoes they do NOT fit')).toEqual({ duplicate: true, kind: 'exact', similarity: 1 });
    expect(index.check('How   do I return\na pair of shoes?!  They do not fit')).toMatchObject({ kind: 'exact' });
  });

  it('catches exact duplicates of texts too short to shingle', () => {
    const index = new DuplicateIndex();
    index.add('Yes.');
    expect(index.check('yes')).toMatchObject({ duplicate: true, kind: 'exact' });
    expect(index.check('No.')).toEqual({ duplicate: false });
  });
});

describe('DuplicateIndex near duplicates', () => {
  const base = words(300, 1);
  const original = base.join(' ');

  it('catches a text about 0.9 similar to one accepted before', () => {
    const close = edit(base, 60, 2, 7).join(' ');
    const truth = jaccard(original, close);
    expect(truth).toBeGreaterThan(0.87);
    expect(truth).toBeLessThan(0.93);
    const index = new DuplicateIndex();
    index.add(original);
    const result = index.check(close);
    expect(result).toMatchObject({ duplicate: true, kind: 'near' });
    if (result.duplicate) expect(result.similarity).toBeGreaterThanOrEqual(0.8);
  });

  it('lets a text only about 0.3 similar through', () => {
    const far = edit(base, 5, 3, 2).join(' ');
    const truth = jaccard(original, far);
    expect(truth).toBeGreaterThan(0.2);
    expect(truth).toBeLessThan(0.4);
    const index = new DuplicateIndex();
    index.add(original);
    expect(index.check(far)).toEqual({ duplicate: false });
  });

  it('estimates similarity close to the true Jaccard of the word 3-shingles', () => {
    const index = new DuplicateIndex({ numPerm: 128, bands: 32 });
    const a = index.signature(original) as Uint32Array;
    for (const step of [3, 6, 12, 30]) {
      const other = edit(base, step, step).join(' ');
      const b = index.signature(other) as Uint32Array;
      const estimate = a.filter((v, i) => v === b[i]).length / a.length;
      expect(Math.abs(estimate - jaccard(original, other))).toBeLessThan(0.15);
    }
  });

  it('finds a near duplicate among thousands of texts (across storage chunks), and flags no unrelated one', () => {
    const index = new DuplicateIndex();
    const texts = Array.from({ length: 3_000 }, (_, i) => words(120, 1_000 + i).join(' '));
    let flagged = 0;
    for (const text of texts) {
      if (index.check(text).duplicate) flagged++;
      index.add(text);
    }
    expect(flagged).toBe(0);
    expect(index.size).toBe(3_000);
    const target = (texts[2_500] as string).split(' ');
    const result = index.check(edit(target, 60, 9, 30).join(' '));
    expect(result).toMatchObject({ duplicate: true, kind: 'near' });
  });

  it('check does not add; add makes later checks see the text', () => {
    const index = new DuplicateIndex();
    expect(index.check(original)).toEqual({ duplicate: false });
    expect(index.check(original)).toEqual({ duplicate: false });
    expect(index.size).toBe(0);
    index.add(original);
    expect(index.size).toBe(1);
    expect(index.check(original).duplicate).toBe(true);
  });

  it('honours a custom threshold', () => {
    const close = edit(base, 60, 2, 7).join(' ');
    const strict = new DuplicateIndex({ threshold: 0.99 });
    strict.add(original);
    expect(strict.check(close)).toEqual({ duplicate: false });
  });
});

describe('DuplicateIndex options', () => {
  it('rejects bands that do not divide the permutations', () => {
    expect(() => new DuplicateIndex({ numPerm: 64, bands: 10 })).toThrow(/must divide/);
  });

  it('gives the same signature for the same seed and a different one for another seed', () => {
    const text = words(50, 4).join(' ');
    const a = new DuplicateIndex({ seed: 7 }).signature(text);
    const b = new DuplicateIndex({ seed: 7 }).signature(text);
    const c = new DuplicateIndex({ seed: 8 }).signature(text);
    expect(Array.from(a as Uint32Array)).toEqual(Array.from(b as Uint32Array));
    expect(Array.from(a as Uint32Array)).not.toEqual(Array.from(c as Uint32Array));
  });

  it('has no signature for a text without words', () => {
    expect(new DuplicateIndex().signature(' ?! ')).toBeNull();
  });
});

describe('hashText', () => {
  it('is stable and tells different texts apart', () => {
    expect(hashText('abc')).toBe(hashText('abc'));
    expect(hashText('abc')).not.toBe(hashText('abd'));
    expect(Number.isSafeInteger(hashText('anything'))).toBe(true);
  });
});
