/** Small statistics the quality report needs: quantiles, Tukey fences, histograms and distinct-n counts. */
import { PairSet } from './pair-set.js';

export interface Distribution {
  count: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
}

/** Quantile by linear interpolation between order statistics (the numpy default). `sorted` is ascending. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (at - lo);
}

export function distribution(values: ArrayLike<number>): Distribution & { sorted: Float64Array } {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    sorted,
    count: sorted.length,
    min: sorted[0] ?? 0,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted[sorted.length - 1] ?? 0,
    mean: sorted.length ? sum / sorted.length : 0,
  };
}

/** Tukey's "far out" fences: outside [Q1 - k·IQR, Q3 + k·IQR], k = 3. */
export function fences(d: Distribution, k = 3): { low: number; high: number } {
  const iqr = d.q3 - d.q1;
  return { low: d.q1 - k * iqr, high: d.q3 + k * iqr };
}

export interface Bin {
  from: number;
  to: number;
  count: number;
}

/** `bins` equal-width bins over [min, max] of `values` (whole numbers: bin edges rounded). */
export function histogram(values: ArrayLike<number>, bins: number, min: number, max: number): Bin[] {
  if (values.length === 0) return [];
  const width = Math.max(1, Math.ceil((max - min + 1) / bins));
  const out: Bin[] = [];
  for (let b = 0; b < bins && min + b * width <= max; b++) out.push({ from: min + b * width, to: Math.min(max, min + (b + 1) * width - 1), count: 0 });
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min || v > max) continue;
    (out[Math.min(out.length - 1, Math.floor((v - min) / width))] as Bin).count++;
  }
  return out;
}

/**
 * Vocabulary and distinct-n over normalized words (lowercase, punctuation stripped, single spaces).
 * Words get integer ids and a bigram is a pair of ids (PairSet), so no string per bigram is made.
 */
export class DistinctCounter {
  private readonly ids = new Map<string, number>();
  private responseWords = new Uint8Array(1024);
  private responseWordCount = 0;
  private readonly bigrams = new PairSet();
  responseUnigrams = 0;
  responseBigrams = 0;

  get vocabulary(): number {
    return this.ids.size;
  }

  private id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(word, id);
    }
    return id;
  }

  /** Words of any turn: counted in the vocabulary only. */
  addText(normalized: string): void {
    if (normalized.length === 0) return;
    for (const w of normalized.split(' ')) this.id(w);
  }

  /** Words of a response (assistant turn): vocabulary and distinct-1/distinct-2. */
  addResponse(normalized: string): void {
    if (normalized.length === 0) return;
    let prev = -1;
    for (const w of normalized.split(' ')) {
      const id = this.id(w);
      if (id >= this.responseWords.length) {
        const bigger = new Uint8Array(Math.max(id + 1, this.responseWords.length * 2));
        bigger.set(this.responseWords);
        this.responseWords = bigger;
      }
      if (this.responseWords[id] === 0) {
        this.responseWords[id] = 1;
        this.responseWordCount++;
      }
      this.responseUnigrams++;
      if (prev >= 0) {
        this.bigrams.add(prev, id);
        this.responseBigrams++;
      }
      prev = id;
    }
  }

  distinct1(): number {
    return this.responseUnigrams === 0 ? 0 : this.responseWordCount / this.responseUnigrams;
  }

  distinct2(): number {
    return this.responseBigrams === 0 ? 0 : this.bigrams.size / this.responseBigrams;
  }
}
