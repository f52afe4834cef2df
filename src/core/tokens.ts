/**
 * Offline token counts. gpt-tokenizer's o200k encoding is exact for current OpenAI models and a close
 * estimate for others (Claude counts are reconciled from the usage each answer reports).
 *
 * Linear on long strings: BPE merges inside one pre-token cost time quadratic in its length (20,000
 * letters with no space took 0.7 s), so runs of more than LONG_RUN non-space characters are counted in
 * slices of that size. Text without such runs (any prose) is counted exactly as before.
 */
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

const LONG_RUN = 256;
const LONG_RUN_PATTERN = new RegExp(`\\S{${LONG_RUN + 1},}`, 'g');

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  LONG_RUN_PATTERN.lastIndex = 0;
  if (!LONG_RUN_PATTERN.test(text)) return encode(text).length;
  LONG_RUN_PATTERN.lastIndex = 0;
  let total = 0;
  let at = 0;
  for (const match of text.matchAll(LONG_RUN_PATTERN)) {
    const start = match.index;
    if (start > at) total += encode(text.slice(at, start)).length;
    const end = start + match[0].length;
    for (let i = start; i < end; i += LONG_RUN) total += encode(text.slice(i, Math.min(end, i + LONG_RUN))).length;
    at = end;
  }
  if (at < text.length) total += encode(text.slice(at)).length;
  return total;
}

/** Tokens of a chat as the APIs bill it: content plus a few tokens of framing per message. */
export function countChatTokens(messages: ReadonlyArray<{ content: string }>): number {
  let total = 3;
  for (const m of messages) total += 4 + countTokens(m.content);
  return total;
}
