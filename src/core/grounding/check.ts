/**
 * The cheap lexical grounding check: whatever an answer quotes, and every number it states, must be in
 * its passage. Quotes are text in double quotes (straight or curly) of two words or more, and the
 * answer's `evidence` entries; numbers are digit groups (1,000 and 1000 are the same number, so are
 * 4.50 and 4.5). Both sides are compared normalised (Unicode NFKC, lower case, quotes and dashes unified,
 * whitespace collapsed). List markers ("1. ") and numbers in the question are not claims of the answer.
 */
export type GroundingResult = { ok: true } | { ok: false; kind: 'filtered'; message: string };

const OK: GroundingResult = { ok: true };

export function normalizeForGrounding(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032`]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Quote text without its edge punctuation ("...as written." matches "as written"). */
function quoteCore(quote: string): string {
  return normalizeForGrounding(quote).replace(/^[\s"'.,;:!?()[\]-]+|[\s"'.,;:!?()[\]-]+$/g, '').replace(/\s*\.\.\.\s*|\s*…\s*/g, ' … ');
}

const QUOTE = /"([^"\n]{3,}?)"|\u201c([^\u201d\n]{3,}?)\u201d/g;
const NUMBER = /(?<![\p{L}\p{N}])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\p{L}\p{N}.,])\d+(?:\.\d+)?/gu;
const LIST_MARKER = /^\s*\d+[.)]\s/gm;

export function quotesOf(answer: string): string[] {
  const out: string[] = [];
  for (const m of answer.matchAll(QUOTE)) {
    const q = (m[1] ?? m[2] ?? '').trim();
    if (q.split(/\s+/).length >= 2) out.push(q);
  }
  return out;
}

export function numbersOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.replace(LIST_MARKER, ' ').matchAll(NUMBER)) out.add(canonicalNumber(m[0]));
  return out;
}

function canonicalNumber(n: string): string {
  const plain = n.replace(/,/g, '');
  return plain.includes('.') ? plain.replace(/0+$/, '').replace(/\.$/, '') : plain.replace(/^0+(?=\d)/, '');
}

/** A quote matches when each of its parts (split at "...") appears in the passage. */
function inPassage(quote: string, passage: string): boolean {
  return quoteCore(quote)
    .split(' … ')
    .filter(Boolean)
    .every((part) => passage.includes(part));
}

export function checkGrounding(
  qa: { answer: string; question?: string; evidence?: readonly string[] },
  passages: string | readonly string[],
): GroundingResult {
  const text = typeof passages === 'string' ? passages : passages.join('\n\n');
  const passage = normalizeForGrounding(text);
  for (const quote of [...quotesOf(qa.answer), ...(qa.evidence ?? [])]) {
    if (!quote.trim()) continue;
    if (!inPassage(quote, passage)) return { ok: false, kind: 'filtered', message: `not grounded: the quote "${shorten(quote)}" is not in the passage` };
  }
  const known = numbersOf(text);
  for (const n of numbersOf(qa.question ?? '')) known.add(n);
  for (const n of numbersOf(qa.answer)) {
    if (!known.has(n)) return { ok: false, kind: 'filtered', message: `not grounded: the number ${n} is not in the passage` };
  }
  return OK;
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
