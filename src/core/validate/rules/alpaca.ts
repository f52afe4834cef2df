/** Alpaca rows (Axolotl `alpaca`, LLaMA-Factory): `{instruction, input?, output, system?, history?}`. */
import { describeType, quote, type Report } from '../problems.js';

const KNOWN = new Set(['instruction', 'input', 'output', 'system', 'history']);

export function checkAlpacaRow(row: Record<string, unknown>, report: Report): void {
  for (const key of Object.keys(row)) {
    if (!KNOWN.has(key)) report('warning', `extra column ${quote(key)} (alpaca trainers ignore it)`);
  }
  for (const key of ['instruction', 'output'] as const) {
    const v = row[key];
    if (v === undefined || v === null) report('error', `no ${key}`);
    else if (typeof v !== 'string') report('error', `${key} must be a string, found ${describeType(v)}`);
    else if (v.trim() === '') report('error', `${key} is empty`);
  }
  for (const key of ['input', 'system'] as const) {
    const v = row[key];
    if (v !== undefined && v !== null && typeof v !== 'string') report('error', `${key} must be a string, found ${describeType(v)}`);
  }
  const history = row.history;
  if (history !== undefined && history !== null) {
    const pairs = Array.isArray(history) && history.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string'));
    if (!pairs) report('error', 'history must be a list of [instruction, output] string pairs');
  }
}
