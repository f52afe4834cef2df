/**
 * The export's near-duplicate grouping (also `quality` and `split`): its one-permutation signature must find
 * every pair at or above the similarity threshold that the texts of a dataset typically form (one word
 * changed in a 40-word text: Jaccard of word 3-shingles 0.85) and group nothing else.
 */
import { expect, test } from 'vitest';
import { duplicateGroups, jaccard, NEAR_DUPLICATE_SIMILARITY } from '../src/core/export/near-duplicates.js';
import { normalizeText, shingleHashes } from '../src/core/export/shingles.js';
import { hash32 } from '../src/core/random.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function group(texts: string[]) {
  const normalized = texts.map(normalizeText);
  const shingles = normalized.map(shingleHashes);
  return { shingles, ...duplicateGroups({ count: texts.length, shingles: (i) => shingles[i]!, textHash: (i) => hash32(normalized[i]!), normalizedText: (i) => normalized[i]! }) };
}

test('every one-word-changed copy is grouped with its original, and no unrelated texts are', () => {
  const random = seeded(7);
  const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);
  const words = (n: number) => Array.from({ length: n }, () => vocabulary[Math.floor(random() * vocabulary.length)]!);
  const texts: string[] = [];
  for (let i = 0; i < 400; i++) {
    const base = words(40);
    const copy = [...base];
    copy[10 + Math.floor(random() * 20)] = 'changed';
    texts.push(base.join(' '), copy.join(' '));
  }
  const { groups, shingles } = group(texts);
  for (let i = 0; i < texts.length; i += 2) expect(jaccard(shingles[i]!, shingles[i + 1]!)).toBeGreaterThanOrEqual(NEAR_DUPLICATE_SIMILARITY);
  expect(groups).toHaveLength(400);
  expect(groups.every((g) => g.length === 2 && g[1] === g[0]! + 1 && g[0]! % 2 === 0)).toBe(true);
});

test('short texts (fewer shingles than signature bins) still group only their equals and near equals', () => {
  const texts = ['reset my password please now', 'reset my password please now!', 'where is my parcel today', 'cancel the order i placed', 'a', ''];
  const { groups, exactDuplicates } = group(texts);
  expect(exactDuplicates).toBe(1);
  expect(groups).toEqual([[0, 1], [2], [3], [4], [5]]);
});
