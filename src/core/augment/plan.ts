/**
 * `synthloom augment SESSION --method M --ratio R`: which accepted samples get a derived sample, and the
 * slot of each. Pure and deterministic: the same session, method, ratio and seed give the same slots, so
 * a resumed augment fills exactly the slots not done. round(R x N) derivations over the N originals
 * (samples that are not themselves derived): every original gets floor(R) of them and the rest go to the
 * originals ranked first by a seeded hash of their id.
 */
import { hash32 } from '../random.js';
import type { Sample } from '../types.js';

export const AUGMENT_METHODS = ['rephrase', 'expand', 'difficulty', 'format'] as const;
export type AugmentMethod = (typeof AUGMENT_METHODS)[number];

export interface AugmentSlot {
  /** `aug-METHOD-ORIGIN_ID-N`: stable for a session, method and ratio. */
  id: string;
  method: AugmentMethod;
  /** The origin's sample id (the new sample's `derived_from`). */
  derivedFrom: string;
  /** Which derivation of this origin, from 0 (ratios above 1 derive several). */
  variant: number;
}

export interface AugmentPlan {
  slots: AugmentSlot[];
  /** Originals the ratio applies to. */
  originals: number;
}

export function planAugmentation(
  samples: ReadonlyArray<Pick<Sample, 'id' | 'derived_from'>>,
  opts: { method: AugmentMethod; ratio: number; seed: number },
): AugmentPlan {
  if (!AUGMENT_METHODS.includes(opts.method)) throw new RangeError(`method must be one of ${AUGMENT_METHODS.join(', ')}`);
  if (!(opts.ratio > 0) || !Number.isFinite(opts.ratio)) throw new RangeError('ratio must be a number greater than 0');
  const originals = [...new Set(samples.filter((s) => !s.derived_from).map((s) => s.id))];
  const total = Math.round(opts.ratio * originals.length);
  const whole = Math.floor(total / Math.max(1, originals.length));
  const extra = total - whole * originals.length;
  const ranked = originals
    .map((id) => ({ id, rank: hash32(`${opts.seed >>> 0}:${opts.method}:${id}`) }))
    .sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const slots: AugmentSlot[] = [];
  ranked.forEach(({ id }, position) => {
    const count = whole + (position < extra ? 1 : 0);
    for (let variant = 0; variant < count; variant++) {
      slots.push({ id: `aug-${opts.method}-${id}-${variant}`, method: opts.method, derivedFrom: id, variant });
    }
  });
  slots.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { slots, originals: originals.length };
}

/** A derived sample: the origin's category, topic and source, new messages, `derived_from` set. */
export function derivedSample(
  origin: Sample,
  slot: AugmentSlot,
  messages: Sample['messages'],
  meta: { id: string; model: string; usage: Sample['usage']; created_at: string },
): Sample {
  const sample: Sample = {
    id: meta.id,
    slot: slot.id,
    category: origin.category,
    topic: origin.topic,
    messages,
    model: meta.model,
    usage: meta.usage,
    created_at: meta.created_at,
    derived_from: origin.id,
  };
  if (origin.tools) sample.tools = origin.tools;
  if (origin.source) sample.source = origin.source;
  return sample;
}
