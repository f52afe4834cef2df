/**
 * Seeded randomness for the test server: the same seed gives the same faults and the same content.
 * The generator is core's mulberry32; these are the test server's own ways of seeding and drawing from it.
 */
import type { Random } from '../../src/core/random.js';

/** A seed mixed from several numbers (server seed, request counter, ...). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h ^= part >>> 0;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
}

export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

export function between(rng: Random, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}
