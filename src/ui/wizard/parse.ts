/**
 * Parsers for what people type into wizard fields. Each returns the value or a one-line reason that is shown
 * under the field, in the words a user would understand ("must be a whole number", not a zod path).
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string): Parsed<never> => ({ ok: false, error });

/** `200`, `2,000`, `2_000`, `2k`. */
export function parseSize(raw: string): Parsed<number> {
  const text = raw.trim().toLowerCase().replace(/[,_\s]/g, '');
  const match = /^(\d+(?:\.\d+)?)(k?)$/.exec(text);
  if (!match) return fail('type a whole number of examples, such as 200 or 2,000');
  const value = Number(match[1]) * (match[2] ? 1000 : 1);
  if (!Number.isInteger(value)) return fail('must be a whole number');
  if (value < 1) return fail('must be at least 1');
  if (value > 1_000_000) return fail('at most 1,000,000 examples in one session');
  return ok(value);
}

/** `4`: the most user turns of a multi-turn conversation (2 to 20). */
export function parseMaxTurns(raw: string): Parsed<number> {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return fail('type a whole number of user turns, such as 3');
  const value = Number(text);
  if (value < 2) return fail('a multi-turn conversation has at least 2 user turns');
  if (value > 20) return fail('at most 20 user turns');
  return ok(value);
}

/** `30%`, `30` or `0.3` all mean three in ten examples have more than one user turn. */
export function parseShare(raw: string): Parsed<number> {
  const text = raw.trim();
  const match = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text);
  if (!match) return fail('type a share such as 30% or 0.3');
  let value = Number(match[1]);
  if (match[2] === '%' || value > 1) value /= 100;
  if (value < 0 || value > 1) return fail('must be between 0% and 100%');
  return ok(Math.round(value * 10000) / 10000);
}

/** `$10`, `10`, `2.5`: a positive amount of US dollars. */
export function parseUsd(raw: string): Parsed<number> {
  const text = raw.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d+(?:\.\d+)?$/.test(text)) return fail('type an amount in US dollars, such as 10 or 2.50');
  const value = Number(text);
  if (value <= 0) return fail('must be greater than 0');
  return ok(value);
}

/** `a, b, c`: a list with at least one non-empty item. */
export function parseList(raw: string, what: string): Parsed<string[]> {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return fail(`name at least one ${what}, separated by commas`);
  return ok(items);
}

export interface SplitShares {
  train: number;
  validation: number;
  test: number;
}

/** `80/10/10`, `0.8,0.1,0.1` or `90/10` (no test split). */
export function parseSplits(raw: string): Parsed<SplitShares> {
  const parts = raw
    .trim()
    .split(/[\s,/:]+/)
    .filter((s) => s !== '');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\d+(?:\.\d+)?%?$/.test(p))) {
    return fail('type train/validation/test shares, such as 80/10/10');
  }
  const numbers = parts.map((p) => Number(p.replace('%', '')));
  const total = numbers.reduce((a, b) => a + b, 0);
  const scale = Math.abs(total - 100) < 1e-6 ? 100 : Math.abs(total - 1) < 1e-6 ? 1 : null;
  if (scale === null) return fail(`the shares add up to ${round(total)}; they must add up to 100`);
  const [train = 0, validation = 0, test = 0] = numbers.map((n) => round(n / scale));
  if (train <= 0) return fail('train must be greater than 0');
  return ok({ train, validation, test });
}

/** `0.4/1.6` or `0.4 1.6`: USD per 1M input and output tokens. */
export function parsePrice(raw: string): Parsed<{ input: number; output: number }> {
  const parts = raw
    .trim()
    .replace(/\$/g, '')
    .split(/[\s,/]+/)
    .filter((s) => s !== '');
  if (parts.length !== 2 || parts.some((p) => !/^\d+(?:\.\d+)?$/.test(p))) {
    return fail('type input/output USD per 1M tokens, such as 0.40/1.60');
  }
  return ok({ input: Number(parts[0]), output: Number(parts[1]) });
}

/** Keeps shares such as 0.1 exact after arithmetic (0.30000000000000004 would end up in the YAML). */
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** A directory-safe session name from free text: `Customer support!` -> `customer-support`. */
export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'dataset' : slug;
}

export const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export function parseSessionName(raw: string): Parsed<string> {
  const text = raw.trim();
  if (!SESSION_NAME.test(text)) {
    return fail('use letters, digits, dot, dash or underscore, starting with a letter or digit (it names a folder)');
  }
  return ok(text);
}

export function parseRequired(raw: string, what: string): Parsed<string> {
  const text = raw.trim();
  return text === '' ? fail(`${what} must not be empty`) : ok(text);
}

/** `code, lists` or nothing: an empty answer is an empty list (no special formats, no given categories). */
export function parseOptionalList(raw: string): Parsed<string[]> {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const seen = new Set<string>();
  for (const item of items) {
    const key = item.toLowerCase();
    if (seen.has(key)) return fail(`"${item}" is listed twice`);
    seen.add(key);
  }
  return ok(items);
}

/** `even`, or one positive weight per category in their order: `3, 1, 1` or `3/1/1`. */
export function parseWeights(raw: string, count: number): Parsed<number[]> {
  const text = raw.trim().toLowerCase();
  if (text === '' || text === 'even' || text === 'equal') return ok(Array.from({ length: count }, () => 1));
  const parts = text.split(/[\s,/:]+/).filter((s) => s !== '');
  if (parts.some((p) => !/^\d+(?:\.\d+)?$/.test(p))) return fail('type even, or one weight per category such as 3, 1, 1');
  if (parts.length !== count) return fail(`type ${count} weights, one per category in order (or even)`);
  const weights = parts.map(Number);
  if (weights.some((w) => w <= 0)) return fail('every weight must be greater than 0');
  return ok(weights);
}

/** A whole number in [min, max] (max turns). */
export function parseWholeNumber(raw: string, min: number, max: number): Parsed<number> {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return fail(`type a whole number from ${min} to ${max}`);
  const value = Number(text);
  if (value < min || value > max) return fail(`must be from ${min} to ${max}`);
  return ok(value);
}
