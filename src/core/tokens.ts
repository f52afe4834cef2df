/**
 * Offline token counts. gpt-tokenizer's o200k encoding is exact for current OpenAI models and a close
 * estimate for others (Claude counts are reconciled from the usage each answer reports).
 *
 * BPE on one pre-tokenized piece is quadratic in its length (300 KB of one letter took 49 s), so text is
 * encoded in chunks of at most CHUNK_CHARS: cut before a single space between two words where there is
 * one (a boundary the pre-tokenizer makes anyway, so ordinary text counts exactly as a whole), else hard
 * (a long unbroken run, whose count then differs from the whole-string count by at most a token a cut).
 * Linear in the text's length.
 */
import { countTokens as count } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Special-token strings (`<|endoftext|>`) in documents and model output are counted as the text they are:
 * with the default options the tokenizer throws on them (and scans every input for them first).
 */
const AS_TEXT = { disallowedSpecial: new Set<string>() };
const encodedLength = (text: string): number => count(text, AS_TEXT);

/** Longest piece handed to the encoder at once. */
export const CHUNK_CHARS = 2000;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** Where the chunk starting at `start` ends (exclusive): before a word-separating space, else at the limit. */
function chunkEnd(text: string, start: number): number {
  const limit = start + CHUNK_CHARS;
  if (limit >= text.length) return text.length;
  for (let i = limit; i > start + CHUNK_CHARS / 2; i--) {
    if (text.charCodeAt(i) === 0x20 && !isSpace(text.charCodeAt(i - 1)) && !isSpace(text.charCodeAt(i + 1))) return i;
  }
  // No space in the second half of the window: a hard cut, never inside a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= CHUNK_CHARS) return encodedLength(text);
  let total = 0;
  for (let start = 0; start < text.length; ) {
    const end = chunkEnd(text, start);
    total += encodedLength(text.slice(start, end));
    start = end;
  }
  return total;
}

/** Tokens of a chat as the APIs bill it: content plus a few tokens of framing per message. */
export function countChatTokens(messages: ReadonlyArray<{ content: string }>): number {
  let total = 3;
  for (const m of messages) total += 4 + countTokens(m.content);
  return total;
}
