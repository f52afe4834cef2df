/**
 * Alpaca `{instruction, input, output, system?, history?}` back into the canonical sample: the user turn is
 * the instruction, followed by the input on a new line when there is one (LLaMA-Factory's joining);
 * `history` ([[user, answer], ...]) becomes the earlier turns. Reasoning is a <think> block at the start of
 * output.
 */
import { buildSample, extraKeys, type ReadMessage, type ReadRow, RowError } from './shared.js';

export function readAlpacaRow(row: Record<string, unknown>): ReadRow {
  const text = (key: string): string => {
    const v = row[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new RowError(`${key} must be a string`);
    return v;
  };
  const instruction = text('instruction');
  const input = text('input');
  const output = text('output');
  if (instruction.trim() === '' && input.trim() === '') throw new RowError('instruction and input are both empty (no user turn)');
  if (output.trim() === '') throw new RowError('output is empty (no assistant turn)');
  const messages: ReadMessage[] = [];
  const system = text('system');
  if (system !== '') messages.push({ role: 'system', content: system });
  if (row.history !== undefined && row.history !== null) {
    if (!Array.isArray(row.history)) throw new RowError('history must be a list of [instruction, answer] pairs');
    row.history.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        throw new RowError(`history[${i}] must be a pair of strings [instruction, answer]`);
      }
      messages.push({ role: 'user', content: pair[0] }, { role: 'assistant', content: pair[1] });
    });
  }
  messages.push({ role: 'user', content: input === '' ? instruction : instruction === '' ? input : `${instruction}\n${input}` });
  messages.push({ role: 'assistant', content: output });
  return buildSample(messages, { thinkInText: true, extraKeys: extraKeys(row, ['instruction', 'input', 'output', 'system', 'history']) });
}
