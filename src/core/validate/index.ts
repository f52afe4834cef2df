/**
 * `synthloom validate`: a conformance report for a JSONL dataset file before it is uploaded. Checks the
 * OpenAI fine-tuning rules, Together's `files check` rules (one UTF-8 JSON object a line, roles
 * alternating after an optional system message, at least one assistant message) and Hugging Face type
 * consistency, and sums tokens per example.
 *
 * OpenAI rejects files of fewer than 10 examples: that is an error when --format openai is given and a
 * warning when the format was detected (a small validation or test split is fine for other trainers).
 */
import { statSync } from 'node:fs';
import type { ExportFormat } from '../config.js';
import { UsageError } from '../errors.js';
import { forEachLineBytes } from '../files.js';
import { detectFormat, firstArguments } from './detect.js';
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

/** Problems kept for the report; past this only the counts grow (a broken 1 GB file has a problem a line). */
export const MAX_KEPT_PROBLEMS = 10_000;

/**
 * Checks a file as a stream of lines (never held whole; a line over the reader's limit is exit 2 naming the
 * file and line). Without --format a first pass detects the format from the rows, as detectFormat would
 * from all of them.
 */
export function validateFile(path: string, opts: ValidateOptions = {}): ValidationReport {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path}: ${code ?? 'error'}`);
  }
  if (!stat.isFile()) throw new UsageError(`${path}: not a regular file; give a .jsonl file on disk`);
  let format = opts.format ?? null;
  if (!opts.format) {
    let firstKeyed: unknown;
    let firstWithArguments: unknown;
    // A chat row with reasoning_content says trl even when no row has tool calls (detectFormat's last rule).
    let firstTrlOnly: unknown;
    forEachLineBytes(path, ({ bytes }) => {
      if (firstKeyed !== undefined && (firstWithArguments !== undefined || firstTrlOnly !== undefined)) return;
      const value = parseRow(bytes);
      if (value === undefined) return;
      if (firstKeyed === undefined && detectFormat([value]) !== null) firstKeyed = value;
      const args = firstArguments(value);
      if (firstWithArguments === undefined && (typeof args === 'string' || isRecord(args))) firstWithArguments = value;
      if (firstTrlOnly === undefined && firstWithArguments === undefined && detectFormat([value]) === 'trl') firstTrlOnly = value;
    });
    format = detectFormat([firstKeyed, firstWithArguments, firstTrlOnly].filter((v) => v !== undefined));
  }
  const checker = new RowChecker(format, opts);
  forEachLineBytes(path, ({ bytes, number }) => checker.line(bytes, number));
  return checker.report(path);
}

export function validateBytes(bytes: Buffer, file: string, opts: ValidateOptions = {}): ValidationReport {
  const lines: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  const format = opts.format ?? detectFormat(lines.map(parseRow).filter((v) => v !== undefined));
  const checker = new RowChecker(format, opts);
  lines.forEach((line, i) => checker.line(line, i + 1));
  return checker.report(file);
}

/** A line's JSON object, or undefined (not UTF-8, not JSON, not an object). For format detection only. */
function parseRow(raw: Buffer): unknown {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The checks of one file, fed a line at a time. */
class RowChecker {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly problems: Problem[] = [];
  private errors = 0;
  private warnings = 0;
  private rows = 0;
  private anyContent = false;
  /** Blank lines seen since the last content line: a warning only if content follows. */
  private blanks: number[] = [];
  private readonly types = new TypeConsistency();
  private readonly tokenCounts: number[] = [];

  constructor(
    private readonly format: ExportFormat | null,
    private readonly opts: ValidateOptions,
  ) {}

  private add(line: number, severity: Severity, message: string): void {
    if (severity === 'error') this.errors++;
    else this.warnings++;
    if (this.problems.length < MAX_KEPT_PROBLEMS) this.problems.push({ line, severity, message });
  }

  line(bytes: Buffer, line: number): void {
    let raw = bytes;
    if (line === 1 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) {
      this.add(1, 'error', 'the file starts with a UTF-8 byte order mark (BOM), which JSON lines readers reject');
      raw = raw.subarray(3);
    }
    if (raw.length > 0 && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    let text: string;
    try {
      text = this.decoder.decode(raw);
    } catch {
      this.content();
      this.add(line, 'error', 'not valid UTF-8 (save the file as UTF-8)');
      return;
    }
    if (text.trim() === '') {
      this.blanks.push(line);
      return;
    }
    this.content();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.add(line, 'error', `not valid JSON (${(err as Error).message.split('\n')[0]})`);
      return;
    }
    if (!isRecord(value)) {
      this.add(line, 'error', `each line must be a JSON object, found ${Array.isArray(value) ? 'a list' : typeof value}`);
      return;
    }
    this.rows++;
    if (this.format) RULES[this.format](value, (severity, message) => this.add(line, severity, message));
    for (const conflict of this.types.add(value, line)) this.add(line, 'error', describeConflict(conflict));
    const tokens = exampleTokens(value, this.format);
    this.tokenCounts.push(tokens);
    if (tokens > EXAMPLE_TOKEN_LIMIT) {
      this.add(line, 'warning', `${tokens} tokens, over the ${EXAMPLE_TOKEN_LIMIT}-token limit for one example (it would be truncated)`);
    }
  }

  private content(): void {
    this.anyContent = true;
    for (const blank of this.blanks) this.add(blank, 'warning', 'blank line');
    this.blanks = [];
  }

  report(file: string): ValidationReport {
    if (!this.anyContent) this.add(0, 'error', 'the file is empty');
    else if (this.rows === 0) this.add(0, 'error', 'no line holds a JSON object');
    else if (this.format === null) {
      this.add(0, 'error', 'cannot tell the format: rows have no messages, prompt/completion, instruction/output or conversations (pass --format)');
    }
    if (this.format === 'openai' && this.rows > 0 && this.rows < OPENAI_MIN_EXAMPLES) {
      this.add(0, this.opts.format ? 'error' : 'warning', `OpenAI fine-tuning needs at least ${OPENAI_MIN_EXAMPLES} examples in a file; this one has ${this.rows}`);
    }
    const problems = [...this.problems].sort((a, b) => a.line - b.line);
    const hidden = this.errors + this.warnings - problems.length;
    if (hidden > 0) problems.push({ line: 0, severity: 'warning', message: `${hidden} more problems not listed (only the first ${MAX_KEPT_PROBLEMS} are kept)` });
    return {
      file,
      format: this.format,
      detected: this.opts.format === undefined,
      rows: this.rows,
      problems,
      errors: this.errors,
      warnings: this.warnings,
      tokens: summarizeTokens(this.tokenCounts),
    };
  }
}
