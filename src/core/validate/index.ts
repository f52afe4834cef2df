/**
 * `synthloom validate`: a conformance report for a JSONL dataset file before it is uploaded. Checks the
 * OpenAI fine-tuning rules, Together's `files check` rules (one UTF-8 JSON object a line, roles
 * alternating after an optional system message, at least one assistant message) and Hugging Face type
 * consistency, and sums tokens per example.
 *
 * OpenAI rejects files of fewer than 10 examples: that is an error when --format openai is given and a
 * warning when the format was detected (a small validation or test split is fine for other trainers).
 */
import { readFileSync } from 'node:fs';
import type { ExportFormat } from '../config.js';
import { UsageError } from '../errors.js';
import { detectFormat } from './detect.js';
import { isRecord, type Problem, type Report, type Severity } from './problems.js';
import { checkAlpacaRow } from './rules/alpaca.js';
import { checkOpenaiRow, checkTrlRow } from './rules/chat.js';
import { checkSharegptRow } from './rules/sharegpt.js';
import { EXAMPLE_TOKEN_LIMIT, exampleTokens, summarizeTokens, type TokenSummary } from './token-stats.js';
import { describeConflict, TypeConsistency } from './type-consistency.js';

export type { Problem, Severity } from './problems.js';
export type { TokenSummary } from './token-stats.js';

export const OPENAI_MIN_EXAMPLES = 10;

export interface ValidateOptions {
  /** Omitted: detected from the rows. */
  format?: ExportFormat;
}

export interface ValidationReport {
  file: string;
  format: ExportFormat | null;
  detected: boolean;
  rows: number;
  problems: Problem[];
  errors: number;
  warnings: number;
  tokens: TokenSummary;
}

const RULES: Record<ExportFormat, (row: Record<string, unknown>, report: Report) => void> = {
  openai: checkOpenaiRow,
  trl: checkTrlRow,
  alpaca: checkAlpacaRow,
  sharegpt: checkSharegptRow,
};

export function validateFile(path: string, opts: ValidateOptions = {}): ValidationReport {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path}: ${code ?? 'error'}`);
  }
  return validateBytes(bytes, path, opts);
}

export function validateBytes(bytes: Buffer, file: string, opts: ValidateOptions = {}): ValidationReport {
  const problems: Problem[] = [];
  const add = (line: number, severity: Severity, message: string) => problems.push({ line, severity, message });
  const rows = parseLines(bytes, add);
  const format = opts.format ?? detectFormat(rows.map((r) => r.value));
  const types = new TypeConsistency();
  const tokenCounts: number[] = [];

  if (bytes.toString('latin1').trim() === '') add(0, 'error', 'the file is empty');
  else if (rows.length === 0) add(0, 'error', 'no line holds a JSON object');
  else if (format === null) {
    add(0, 'error', 'cannot tell the format: rows have no messages, prompt/completion, instruction/output or conversations (pass --format)');
  }
  for (const { line, value } of rows) {
    if (format) RULES[format](value, (severity, message) => add(line, severity, message));
    for (const conflict of types.add(value, line)) add(line, 'error', describeConflict(conflict));
    const tokens = exampleTokens(value, format);
    tokenCounts.push(tokens);
    if (tokens > EXAMPLE_TOKEN_LIMIT) {
      add(line, 'warning', `${tokens} tokens, over the ${EXAMPLE_TOKEN_LIMIT}-token limit for one example (it would be truncated)`);
    }
  }
  if (format === 'openai' && rows.length > 0 && rows.length < OPENAI_MIN_EXAMPLES) {
    add(0, opts.format ? 'error' : 'warning', `OpenAI fine-tuning needs at least ${OPENAI_MIN_EXAMPLES} examples in a file; this one has ${rows.length}`);
  }
  problems.sort((a, b) => a.line - b.line);
  return {
    file,
    format,
    detected: opts.format === undefined,
    rows: rows.length,
    problems,
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    tokens: summarizeTokens(tokenCounts),
  };
}

/** One JSON object per line, strict UTF-8. Lines that fail are reported and left out. */
function parseLines(bytes: Buffer, add: (line: number, s: Severity, m: string) => void): { line: number; value: Record<string, unknown> }[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const rows: { line: number; value: Record<string, unknown> }[] = [];
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    add(1, 'error', 'the file starts with a UTF-8 byte order mark (BOM), which JSON lines readers reject');
    start = 3;
  }
  let line = 0;
  const lastNonBlank = lastContentOffset(bytes);
  while (start < bytes.length) {
    line++;
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const raw = bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
    const atEnd = start > lastNonBlank;
    start = end + 1;
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      add(line, 'error', 'not valid UTF-8 (save the file as UTF-8)');
      continue;
    }
    if (text.trim() === '') {
      if (!atEnd) add(line, 'warning', 'blank line');
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      add(line, 'error', `not valid JSON (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    if (!isRecord(value)) add(line, 'error', `each line must be a JSON object, found ${Array.isArray(value) ? 'a list' : typeof value}`);
    else rows.push({ line, value });
  }
  return rows;
}

function lastContentOffset(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const b = bytes[i] as number;
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x09) return i;
  }
  return -1;
}
