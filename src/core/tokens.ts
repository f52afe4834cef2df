/**
 * Offline token counts. gpt-tokenizer's o200k encoding is exact for current OpenAI models and a close
 * estimate for others (Claude counts are reconciled from the usage each answer reports).
 */
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return encode(text).length;
}

/** Tokens of a chat as the APIs bill it: content plus a few tokens of framing per message. */
export function countChatTokens(messages: ReadonlyArray<{ content: string }>): number {
  let total = 3;
  for (const m of messages) total += 4 + countTokens(m.content);
  return total;
}
