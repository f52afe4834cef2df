/** SPEC 11's `sources`, `grounding` and `examples` keys (docs/grounding.md), part of the config schema. */
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** SPEC 11: documents to ground samples on; `path` is a file, a folder or a glob, relative to the config file. */
export const SourceSchema = z.strictObject({ path: nonEmpty });

export const GROUNDING_STRATEGIES = ['factual', 'analytical', 'summarization', 'multi_hop', 'unanswerable'] as const;
export type GroundingStrategy = (typeof GROUNDING_STRATEGIES)[number];
export const GROUNDING_CONTEXTS = ['none', 'system', 'user'] as const;
export type GroundingContext = (typeof GROUNDING_CONTEXTS)[number];

export const GroundingSchema = z
  .strictObject({
    questions_per_chunk: z.number().int().min(1).max(100).default(2),
    chunk_tokens: z.number().int().min(50).max(32_000).default(800),
    overlap_tokens: z.number().int().min(0).default(100),
    /** Empty: the default mix (see core/grounding/strategies.ts). */
    strategies: z
      .array(z.strictObject({ name: z.enum(GROUNDING_STRATEGIES), weight: z.number().positive('must be greater than 0').default(1) }))
      .default([])
      .refine((list) => new Set(list.map((s) => s.name)).size === list.length, { message: 'each strategy may appear once' }),
    /** Where the chunk appears in the training row: not at all, in the system message, or before the question. */
    context: z.enum(GROUNDING_CONTEXTS).default('user'),
  })
  .refine((g) => g.overlap_tokens < g.chunk_tokens, {
    message: 'overlap_tokens must be smaller than chunk_tokens',
    path: ['overlap_tokens'],
  });

/** SPEC 11: few-shot examples, a JSONL file in any supported format; `k` of them go into each request. */
export const ExamplesSchema = z.strictObject({
  path: nonEmpty,
  k: z.number().int().min(1).max(20).default(3),
});
