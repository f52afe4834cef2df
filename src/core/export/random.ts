import { mulberry32, type Random } from '../random.js';

export type { Random } from '../random.js';

/**
 * The export's seeded stream, so splits and row order depend only on the seed and the samples, never on
 * Math.random or on the order lines were appended: core's mulberry32 over the seed mixed with 0x9e3779b9.
 * The mix is part of every export's output; changing it reshuffles the splits of every seed.
 */
export function seededRandom(seed: number): Random {
  return mulberry32((Math.trunc(seed) ^ 0x9e3779b9) >>> 0);
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
