/**
 * Answer length in tokens (o200k, src/core/tokens.ts) by `response_length`. Generous: they catch empty,
 * cut-off or runaway answers, not style. The upper bound applies to every assistant answer, the lower
 * bound to the last one (an earlier turn may be a short clarifying question or only a tool call).
 */
import { countTokens } from '../tokens.js';
import type { CheckResult, SampleLike } from './check.js';

export interface TokenBounds {
  min: number;
  max: number;
}

export const TOKEN_BOUNDS: Record<'short' | 'medium' | 'long', TokenBounds> = {
  short: { min: 1, max: 400 },
  medium: { min: 5, max: 1_500 },
  long: { min: 20, max: 5_000 },
};

export function checkLength(sample: SampleLike, bounds: TokenBounds): CheckResult {
  let last: number | null = null;
  for (const [i, m] of sample.messages.entries()) {
    if (m.role !== 'assistant') continue;
    const tokens = countTokens(m.content);
    if (tokens > bounds.max) {
      return { ok: false, kind: 'filtered', message: `length: message ${i + 1} (assistant) has ${tokens} tokens, over the ${bounds.max}-token bound` };
    }
    last = tokens;
  }
  if (last !== null && last < bounds.min) {
    return { ok: false, kind: 'filtered', message: `length: the last assistant answer has ${last} tokens, under the ${bounds.min}-token bound` };
  }
  return { ok: true };
}
