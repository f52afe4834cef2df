/**
 * Groups of samples that must stay in one split: exact duplicates of the normalized conversation text
 * (lowercase, punctuation stripped, whitespace collapsed) and near duplicates whose word 3-shingle
 * Jaccard similarity is at least NEAR_DUPLICATE_SIMILARITY. Candidates come from MinHash bands, so the
 * cost grows with the number of samples, not with its square; every candidate pair is then checked exactly.
 */
import { fmix32 } from '../minhash.js';
import { hash32 } from '../random.js';
import type { Sample } from '../types.js';
import { seededRandom } from './random.js';

export const NEAR_DUPLICATE_SIMILARITY = 0.8;
const SHINGLE_WORDS = 3;
const BANDS = 16;
const ROWS = 4;
const MAX_COMPARISONS_PER_BUCKET = 64;

/**
 * Not minhash's normalizeText: this one keeps marks and control characters (minhash's turns them to
 * spaces), and the export's split membership depends on it, so the two stay separate.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text two samples are compared on: every turn except the system prompt, tool calls included. */
export function conversationText(sample: Pick<Sample, 'messages'>): string {
  const parts: string[] = [];
  for (const m of sample.messages) {
    if (m.role === 'system') continue;
    parts.push(m.content);
    for (const call of m.tool_calls ?? []) parts.push(call.function.name, call.function.arguments);
  }
  return parts.join('\n');
}

/** Sorted unique hashes of the word shingles of normalized text (hashed whole, unlike minhash's shingleHashes). */
export function shingleHashes(normalized: string): Uint32Array {
  const words = normalized.length === 0 ? [] : normalized.split(' ');
  const set = new Set<number>();
  if (words.length < SHINGLE_WORDS) set.add(hash32(words.join(' ')));
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) set.add(hash32(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  return Uint32Array.from(set).sort();
}

export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = a.length + b.length - shared;
  return union === 0 ? 1 : shared / union;
}

const HASH_SEEDS: number[] = (() => {
  const random = seededRandom(0x5eed);
  return Array.from({ length: BANDS * ROWS }, () => Math.floor(random() * 4294967296));
})();

function signature(shingles: Uint32Array): Uint32Array {
  const sig = new Uint32Array(HASH_SEEDS.length).fill(0xffffffff);
  for (const s of shingles) {
    for (let k = 0; k < HASH_SEEDS.length; k++) {
      const v = fmix32(s ^ (HASH_SEEDS[k] as number));
      if (v < (sig[k] as number)) sig[k] = v;
    }
  }
  return sig;
}

class DisjointSets {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[i] !== root) {
      const next = this.parent[i] as number;
      this.parent[i] = root;
      i = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

export interface DuplicateGroups {
  /** Every index exactly once; groups in order of their first member. */
  groups: number[][];
  /** Samples whose normalized text equals an earlier sample's. */
  exactDuplicates: number;
}

export function duplicateGroups(texts: readonly string[]): DuplicateGroups {
  const sets = new DisjointSets(texts.length);
  const normalized = texts.map(normalizeText);
  const firstOf = new Map<string, number>();
  let exactDuplicates = 0;
  normalized.forEach((text, i) => {
    const first = firstOf.get(text);
    if (first === undefined) firstOf.set(text, i);
    else {
      sets.union(first, i);
      exactDuplicates++;
    }
  });

  const shingles = normalized.map(shingleHashes);
  const buckets = new Map<string, number[]>();
  shingles.forEach((sh, i) => {
    if (firstOf.get(normalized[i] as string) !== i) return;
    const sig = signature(sh);
    for (let band = 0; band < BANDS; band++) {
      const key = `${band}:${Array.from(sig.subarray(band * ROWS, band * ROWS + ROWS)).join(',')}`;
      const members = buckets.get(key);
      if (!members) {
        buckets.set(key, [i]);
        continue;
      }
      for (const other of members.slice(-MAX_COMPARISONS_PER_BUCKET)) {
        if (sets.find(other) === sets.find(i)) continue;
        if (jaccard(sh, shingles[other] as Uint32Array) >= NEAR_DUPLICATE_SIMILARITY) sets.union(other, i);
      }
      members.push(i);
    }
  });

  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < texts.length; i++) {
    const root = sets.find(i);
    const group = byRoot.get(root);
    if (group) group.push(i);
    else byRoot.set(root, [i]);
  }
  return { groups: [...byRoot.values()], exactDuplicates };
}
