/**
 * Offline token counts. gpt-tokenizer's o200k encoding is exact for current OpenAI models and a close
 * estimate for others (Claude counts are reconciled from the usage each answer reports).
 *
 * Linear on long strings: BPE merges inside one pre-token cost time quadratic in its length (20,000
 * letters with no space took 0.7 s), so runs of more than LONG_RUN non-space characters are counted in
 * slices of that size. Text without such runs (any prose) is counted exactly as before.
 */
import { countTokens as count } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Special-token strings (`<|endoftext|>`) in documents and model output are counted as the text they are:
 * with the default options the tokenizer throws on them (and scans every input for them first).
 */
const AS_TEXT = { disallowedSpecial: new Set<string>() };
const encodedLength = (text: string): number => count(text, AS_TEXT);

const LONG_RUN = 256;
const LONG_RUN_PATTERN = new RegExp(`\\S{${LONG_RUN + 1},}`, 'g');
/** Anchored at a run's start, so a scan costs one step per character, not one per character and run length. */
const HAS_LONG_RUN = new RegExp(`(?:^|\\s)\\S{${LONG_RUN + 1}}`);

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= LONG_RUN || !HAS_LONG_RUN.test(text)) return encodedLength(text);
  let total = 0;
  let at = 0;
  for (const match of text.matchAll(LONG_RUN_PATTERN)) {
    const start = match.index;
    if (start > at) total += encodedLength(text.slice(at, start));
    const end = start + match[0].length;
    for (let i = start; i < end; i += LONG_RUN) total += encodedLength(text.slice(i, Math.min(end, i + LONG_RUN)));
    at = end;
  }
  if (at < text.length) total += encodedLength(text.slice(at));
  return total;
}

/** Tokens of a chat as the APIs bill it: content plus a few tokens of framing per message. */
export function countChatTokens(messages: ReadonlyArray<{ content: string }>): number {
  let total = 3;
  for (const m of messages) total += 4 + countTokens(m.content);
  return total;
}
