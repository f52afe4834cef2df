/**
 * `synthloom import LOGS... --out SESSION_DIR`: conversation logs (JSONL rows of any supported format, or
 * `{messages}` with extra metadata fields) become a session every other command works on. Per row, in this
 * order: the --where filters on the raw row, the system prompt (keep | drop | replace), the turn limit (cut
 * or drop), PII (redact | reject | off), then the row is appended with `imported_from: {file, line}`.
 * One streaming pass per file; nothing is written to --out until the whole import succeeded.
 */
import type { ToolDefinition } from '../types.js';
import { type RowFilter, passes } from './filters.js';
import { applySystem, cutTurns, findSamplePii, type LongMode, PiiTally, type PiiMode, redactSample, type SystemMode, userTurns } from './import-rows.js';
import { ImportedSession, type ImportedSample } from './import-session.js';
import { fieldValue } from './split.js';
import { type FromFormat, forEachRow, passNotes, type Progress } from './rows.js';
import { UsageError } from '../errors.js';

export interface ImportOptions {
  out: string;
  from?: FromFormat;
  where?: RowFilter[];
  maxTurns?: number;
  long?: LongMode;
  system?: SystemMode;
  pii?: PiiMode;
  /** A field of the log rows (dotted path) to use as the sample's category; default "imported". */
  categoryField?: string;
  skipBad?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface ImportResult {
  dir: string;
  read: number;
  imported: number;
  /** Rows left out by each --where filter (the first filter a row fails counts it). */
  filtered: { filter: string; rows: number }[];
  cut: number;
  tooLong: number;
  pii: { mode: PiiMode; rows: number; hits: Record<string, number>; rejected: number };
  badRows: number;
  notes: string[];
}

export function importLogs(files: readonly string[], opts: ImportOptions): ImportResult {
  if (files.length === 0) throw new UsageError('import: give at least one LOGS file');
  const where = opts.where ?? [];
  const system = opts.system ?? { mode: 'keep' };
  const piiMode = opts.pii ?? 'redact';
  const long = opts.long ?? 'cut';
  const filtered = where.map((f) => ({ filter: f.text, rows: 0 }));
  const pii = new PiiTally();
  let rejected = 0;
  let read = 0;
  let cut = 0;
  let tooLong = 0;
  let noAnswerLeft = 0;
  let badRows = 0;
  let anyReasoning = false;
  let tools: ToolDefinition[] | null = null;
  let agent = false;
  const notes: string[] = [];
  const session = ImportedSession.begin(opts.out);
  try {
    for (const file of files) {
      const pass = forEachRow(file, { from: opts.from ?? 'auto', skipBad: opts.skipBad, onProgress: opts.onProgress, phase: `importing ${file}` }, ({ sample }, line, _at, value) => {
        read++;
        const failed = where.findIndex((f) => !passes(f, value));
        if (failed >= 0) {
          (filtered[failed] as { rows: number }).rows++;
          return;
        }
        applySystem(sample, system);
        if (opts.maxTurns !== undefined && userTurns(sample) > opts.maxTurns) {
          if (long === 'drop') {
            tooLong++;
            return;
          }
          cut++;
          if (!cutTurns(sample, opts.maxTurns)) {
            noAnswerLeft++;
            return;
          }
        }
        if (piiMode === 'redact') pii.add(redactSample(sample));
        else if (piiMode === 'reject') {
          const kinds = findSamplePii(sample);
          pii.add(kinds);
          if (kinds.length > 0) {
            rejected++;
            return;
          }
        }
        const raw = value as Record<string, unknown>;
        sample.category = (opts.categoryField ? fieldValue(raw, opts.categoryField) : undefined) ?? 'imported';
        sample.model = typeof raw.model === 'string' ? raw.model : 'imported';
        sample.created_at = typeof raw.created_at === 'string' ? raw.created_at : typeof raw.timestamp === 'string' ? raw.timestamp : new Date().toISOString();
        if (sample.reasoning) anyReasoning = true;
        if (sample.messages.some((m) => m.tool_calls)) agent = true;
        if (sample.tools && !tools) tools = sample.tools;
        const imported: ImportedSample = { ...sample, imported_from: { file, line } };
        session.append(imported);
      });
      badRows += pass.bad.count;
      notes.push(...passNotes(pass, file).filter((n) => !n.startsWith('fields no training format')));
    }
    if (session.size === 0) throw new UsageError(`import: no row of ${files.join(', ')} is left after the filters (${read} read); nothing was written`);
    const type = agent && tools ? 'agent' : anyReasoning ? 'reasoning' : 'basic';
    session.finish({ type, tools: tools ?? [], systemPrompt: system.mode === 'replace' ? system.text : null, files: [...files] });
  } catch (err) {
    session.abort();
    throw err;
  }
  if (noAnswerLeft > 0) notes.push(`${noAnswerLeft} conversation(s) had no assistant answer within the first ${opts.maxTurns} turn(s) and were left out`);
  if (cut > 0) notes.push(`${cut} conversation(s) over ${opts.maxTurns} turn(s) were cut to their first ${opts.maxTurns} (the reasoning of a cut final answer goes with it)`);
  if (piiMode === 'off') notes.push('PII was not checked (--pii off)');
  return {
    dir: opts.out,
    read,
    imported: session.size,
    filtered,
    cut,
    tooLong,
    pii: { mode: piiMode, rows: pii.rows, hits: Object.fromEntries(pii.byKind), rejected },
    badRows,
    notes,
  };
}
