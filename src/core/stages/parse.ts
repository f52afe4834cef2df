/**
 * The parse stage, on a whole answer before it is split into examples: truncated, refused, not JSON, not
 * matching the schema, or holding more examples than were asked for (and paid for).
 */
import type { z } from 'zod';
import { excerpt, interpretAnswer } from '../answer.js';
import type { GeneratedExample } from '../kinds/index.js';
import type { GenerateResult } from '../provider.js';
import type { FailureKind, Usage } from '../types.js';

export type ParsedAnswer = { ok: true; examples: GeneratedExample[] } | { ok: false; kind: FailureKind; message: string; raw?: string; feedback?: string };

/** Example i's share of a request's usage (the shares of n examples add up to the whole). */
export function usageShare(usage: Usage, i: number, n: number): Usage {
  const share = (total: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);
  const out: Usage = { input_tokens: share(usage.input_tokens), output_tokens: share(usage.output_tokens) };
  // The cache figures are shared too, so a session recovered from its files prices them as booked.
  if (usage.cached_input_tokens) out.cached_input_tokens = share(usage.cached_input_tokens);
  if (usage.cache_write_tokens) out.cache_write_tokens = share(usage.cache_write_tokens);
  return out;
}

export function parseAnswer(result: GenerateResult, schema: z.ZodType<{ examples: GeneratedExample[] }>, maxTokens: number, asked: number): ParsedAnswer {
  const answer = interpretAnswer(result, schema, maxTokens);
  if (!answer.ok) return { ...answer, feedback: answer.kind === 'truncated' ? undefined : answer.raw };
  const examples = answer.value.examples;
  // More examples than were asked for would be paid for and dropped: the answer is rejected and asked
  // again. Fewer: the ones there are go on, and the missing slots fail on their own (see the engine).
  if (examples.length > asked) {
    const raw = excerpt(result.text);
    return { ok: false, kind: 'schema', message: `the answer had ${examples.length} examples, exactly ${asked} ${asked === 1 ? 'was' : 'were'} asked for`, raw, feedback: raw };
  }
  return { ok: true, examples };
}
