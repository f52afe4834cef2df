/**
 * Few-shot at generation time: which k examples a request carries, and whether a generated sample is too
 * close to one of them (then it is a `duplicate`, as against an accepted sample). Closeness is the
 * engine's own measure: DuplicateIndex (normalised exact hash + MinHash near duplicates) over the same
 * conversation text the run deduplicates on.
 */
import { DuplicateIndex, type DuplicateCheck, type DuplicateIndexOptions } from '../minhash.js';
import { conversationText } from '../quality.js';
import type { Message } from '../types.js';
import type { FewShotExample } from './load.js';

/**
 * `k` examples for the request with this rotation number, consecutive in file order from
 * `rotation * k` (wrapping), so successive rotations walk through the whole file. Grounded requests pass
 * the chunk's ordinal (one chunk's questions share their examples, and so their cacheable prefix); other
 * requests pass their slot's position in the plan.
 */
export function examplesFor<T>(examples: readonly T[], k: number, rotation: number): T[] {
  const n = examples.length;
  if (n === 0 || k <= 0) return [];
  const take = Math.min(k, n);
  const start = (((rotation * take) % n) + n) % n;
  return Array.from({ length: take }, (_, i) => examples[(start + i) % n] as T);
}

export class ExampleGuard {
  private readonly index: DuplicateIndex;

  constructor(examples: readonly FewShotExample[], opts: DuplicateIndexOptions = {}) {
    this.index = new DuplicateIndex(opts);
    for (const e of examples) this.index.add(conversationText(e.messages));
  }

  /** Whether a generated conversation copies an example (exactly, or as a near duplicate). */
  check(messages: Message[]): DuplicateCheck {
    return this.index.check(conversationText(messages));
  }
}
