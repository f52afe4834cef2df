/**
 * Token usage as a server reports it is untrusted input: the budget cap is only as good as these figures.
 * A count is valid when it is a non-negative finite whole number (a JSON number); a string, a negative, NaN,
 * Infinity, a fraction or a missing count makes the whole usage invalid. An invalid usage keeps the valid
 * counts and puts 0 for the others (so no NaN or text ever reaches the ledger or session.yaml); the caller
 * books such a request at the plan's worst case instead.
 */
import type { Usage } from './types.js';

export interface CheckedUsage {
  usage: Usage;
  valid: boolean;
  /** One line naming the first bad field, e.g. `output_tokens: -5 is not a non-negative whole number`. */
  problem?: string;
}

/** A count we can trust: a non-negative, finite, whole JSON number. */
export function isTokenCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Number.isInteger(value) && value >= 0;
}

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number') return String(value);
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
  } catch {
    return typeof value;
  }
}

/**
 * Checks `{input_tokens, output_tokens}` as received. Anything that is not an object with both counts is
 * invalid. Extra fields are ignored.
 */
export function checkUsage(raw: unknown): CheckedUsage {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { usage: { input_tokens: 0, output_tokens: 0 }, valid: false, problem: `usage: ${show(raw)}, not an object with token counts` };
  }
  const record = raw as Record<string, unknown>;
  const problems: string[] = [];
  const count = (field: 'input_tokens' | 'output_tokens'): number => {
    const value = record[field];
    if (isTokenCount(value)) return value;
    problems.push(value === undefined ? `${field}: missing` : `${field}: ${show(value)} is not a non-negative whole number`);
    return 0;
  };
  const usage: Usage = { input_tokens: count('input_tokens'), output_tokens: count('output_tokens') };
  return problems.length === 0 ? { usage, valid: true } : { usage, valid: false, problem: problems.join('; ') };
}

/** An optional count (a cache figure): absent or null is 0, anything else must be a valid count. */
export function optionalCount(value: unknown, field: string): { value: number; problem?: string } {
  if (value === undefined || value === null) return { value: 0 };
  if (isTokenCount(value)) return { value };
  return { value: 0, problem: `${field}: ${show(value)} is not a non-negative whole number` };
}
