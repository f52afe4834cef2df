/**
 * Reading a row of any supported format back into the canonical sample, and telling the format from the
 * row's keys (for `--from auto`). A `{messages}` row without tool calls reads the same as openai or trl
 * except for reasoning: openai keeps the text as it is, trl moves a leading <think> block to reasoning.
 */
import { chatFlavour, readOpenaiRow, readTrlRow } from './chat.js';
import { readAlpacaRow } from './alpaca.js';
import { readSharegptRow } from './sharegpt.js';
import { isRecord, type ReadRow, RowError, type SourceFormat } from './shared.js';

export type { ReadRow, RowLosses, SourceFormat } from './shared.js';
export { RowError, SOURCE_FORMATS } from './shared.js';

const READERS: Record<SourceFormat, (row: Record<string, unknown>) => ReadRow> = {
  openai: readOpenaiRow,
  trl: readTrlRow,
  alpaca: readAlpacaRow,
  sharegpt: readSharegptRow,
};

export interface DetectedRow {
  format: SourceFormat;
  /** False for a {messages} row that reads as openai or trl alike (no tool calls, no trl-only field). */
  certain: boolean;
}

/** The row's format from its keys, or null when it is in none of them. */
export function detectRow(row: unknown): DetectedRow | null {
  if (!isRecord(row)) return null;
  if ('conversations' in row) return { format: 'sharegpt', certain: true };
  if ('instruction' in row || 'output' in row) return { format: 'alpaca', certain: true };
  if ('prompt' in row || 'completion' in row) return { format: 'trl', certain: true };
  if ('messages' in row) {
    const flavour = chatFlavour(row);
    return { format: flavour ?? 'openai', certain: flavour !== null };
  }
  return null;
}

export function readRow(format: SourceFormat, row: unknown): ReadRow {
  if (!isRecord(row)) throw new RowError(`each line must be a JSON object, found ${Array.isArray(row) ? 'a list' : typeof row}`);
  return READERS[format](row);
}
