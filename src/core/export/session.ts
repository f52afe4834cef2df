/**
 * Reads what an export needs from a session directory: the approved config and stats from session.yaml,
 * the failures by kind, and one accepted sample at a time (samples.jsonl minus removed.jsonl), so a large
 * session is never held whole. Damaged lines are skipped and reported in notes, never fatal.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, validateConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { MAX_SESSION_YAML_BYTES, readYamlMapping } from '../yaml-file.js';
import type { Message, Role, Sample, ToolCall, ToolDefinition } from '../types.js';
import { forEachJsonl, type LineAt, LineFile } from './jsonl.js';

export type { LineAt } from './jsonl.js';

export interface SessionStats {
  requests: number;
  tokens: { input: number; output: number };
  cost_usd: number;
  duplicates: number;
  failures: Record<string, number>;
  /** The LLM judge's share of the spend (stats.spend.judge), when session.yaml has one. */
  judge?: { requests: number; input_tokens: number; output_tokens: number; cost_usd: number };
}

export interface SessionForExport {
  dir: string;
  name: string;
  createdAt: string | null;
  config: Config;
  stats: SessionStats;
  failuresByKind: Record<string, number>;
}

const ROLES: ReadonlySet<string> = new Set<Role>(['system', 'user', 'assistant', 'tool']);

export function readSessionForExport(dir: string): SessionForExport {
  const yamlPath = join(dir, 'session.yaml');
  if (!existsSync(yamlPath)) throw new UsageError(`${dir} is not a session directory (no session.yaml)`);
  const doc = readYamlMapping(yamlPath, MAX_SESSION_YAML_BYTES, 'session file');
  const config = validateConfig(doc.config, `${yamlPath} config`);

  const failuresByKind: Record<string, number> = {};
  forEachJsonl(join(dir, 'failures.jsonl'), (value) => {
    const kind = asRecord(value).kind;
    if (typeof kind === 'string') failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1;
  });

  return {
    dir,
    name: typeof doc.name === 'string' ? doc.name : config.name,
    createdAt: typeof doc.created_at === 'string' ? doc.created_at : null,
    config,
    stats: readStats(doc.stats),
    failuresByKind,
  };
}

/**
 * Calls `visit` with every accepted sample of the session, in the order of samples.jsonl (the export sorts
 * them by slot, then id): the first line of each id, unless removed.jsonl lists it. Returns the notes on
 * what was skipped.
 */
export function forEachSample(dir: string, visit: (sample: Sample, at: LineAt) => void): string[] {
  const removed = new Set<string>();
  forEachJsonl(join(dir, 'removed.jsonl'), (value) => {
    const id = asRecord(value).id;
    if (typeof id === 'string') removed.add(id);
  });

  const seen = new Set<string>();
  // A slot holds one sample: a second line for a slot already exported (a duplicate-slot line) is left out,
  // so a 200-slot session exports 200 rows, never 201.
  const slots = new Set<string>();
  const invalid: number[] = [];
  let repeated = 0;
  let repeatedSlots = 0;
  let removedCount = 0;
  const file = forEachJsonl(join(dir, 'samples.jsonl'), (value, line, at) => {
    const sample = toSample(value);
    if (!sample) invalid.push(line);
    else if (seen.has(sample.id)) repeated++;
    else {
      seen.add(sample.id);
      if (removed.has(sample.id)) removedCount++;
      else if (slots.has(sample.slot)) repeatedSlots++;
      else {
        slots.add(sample.slot);
        visit(sample, at);
      }
    }
  });
  const notes: string[] = [];
  if (file.tornLastLine) notes.push('samples.jsonl ends in a torn line (a write cut short); it was skipped');
  invalid.push(...file.badLines);
  if (invalid.length > 0) {
    invalid.sort((a, b) => a - b);
    const shown = invalid.slice(0, 5).join(', ') + (invalid.length > 5 ? ', ...' : '');
    notes.push(`${invalid.length} line(s) of samples.jsonl are not valid samples and were skipped (line ${shown})`);
  }
  if (repeated > 0) notes.push(`${repeated} repeated sample id(s) in samples.jsonl: the first of each was kept`);
  if (repeatedSlots > 0) notes.push(`${repeatedSlots} sample(s) in samples.jsonl are for a slot that already has one: the first of each slot was kept`);
  if (removedCount > 0) notes.push(`${removedCount} sample(s) deleted in the sample browser (removed.jsonl) are left out`);
  return notes;
}

/** Accepted samples read back by where forEachSample found them. */
export class SampleFile {
  private readonly file: LineFile;

  constructor(dir: string) {
    this.file = new LineFile(join(dir, 'samples.jsonl'));
  }

  /** The sample at `at`, which must still be sample `id` (samples.jsonl is append-only). */
  read(at: LineAt, id: string): Sample {
    const sample = toSample(this.file.read(at));
    if (sample?.id !== id) throw new Error(`${this.file.path} changed during the export: sample ${id} is no longer at byte ${at.offset}`);
    return sample;
  }

  close(): void {
    this.file.close();
  }
}

function readStats(raw: unknown): SessionStats {
  const s = asRecord(raw);
  const tokens = asRecord(s.tokens);
  const failures: Record<string, number> = {};
  for (const [kind, n] of Object.entries(asRecord(s.failures))) failures[kind] = num(n);
  return {
    requests: num(s.requests),
    tokens: { input: num(tokens.input), output: num(tokens.output) },
    cost_usd: num(s.cost_usd),
    duplicates: num(s.duplicates),
    failures,
    ...judgeStats(asRecord(asRecord(s.spend).judge)),
  };
}

function judgeStats(j: Record<string, unknown>): Pick<SessionStats, 'judge'> {
  if (!(num(j.requests) > 0)) return {};
  return { judge: { requests: num(j.requests), input_tokens: num(j.input_tokens), output_tokens: num(j.output_tokens), cost_usd: num(j.cost_usd) } };
}

/** A canonical sample with the shape every format relies on, or null. Tool-call arguments must be a JSON object. */
export function toSample(value: unknown): Sample | null {
  const v = asRecord(value);
  if (typeof v.id !== 'string' || typeof v.category !== 'string' || !Array.isArray(v.messages)) return null;
  const messages: Message[] = [];
  for (const raw of v.messages) {
    const m = asRecord(raw);
    if (typeof m.role !== 'string' || !ROLES.has(m.role) || typeof m.content !== 'string') return null;
    const message: Message = { role: m.role as Role, content: m.content };
    if (m.tool_calls !== undefined) {
      if (!Array.isArray(m.tool_calls)) return null;
      const calls = m.tool_calls.map(toToolCall);
      if (calls.some((c) => c === null)) return null;
      if (calls.length > 0) message.tool_calls = calls as ToolCall[];
    }
    if (typeof m.tool_call_id === 'string') message.tool_call_id = m.tool_call_id;
    if (message.role === 'assistant' && typeof m.reasoning === 'string' && m.reasoning.trim() !== '') message.reasoning = m.reasoning;
    messages.push(message);
  }
  if (!messages.some((m) => m.role === 'assistant')) return null;
  const usage = asRecord(v.usage);
  const sample: Sample = {
    id: v.id,
    slot: typeof v.slot === 'string' ? v.slot : v.id,
    category: v.category,
    topic: typeof v.topic === 'string' ? v.topic : '',
    messages,
    model: typeof v.model === 'string' ? v.model : '',
    usage: { input_tokens: num(usage.input_tokens), output_tokens: num(usage.output_tokens) },
    created_at: typeof v.created_at === 'string' ? v.created_at : '',
  };
  if (typeof v.reasoning === 'string' && v.reasoning.trim() !== '') sample.reasoning = v.reasoning;
  if (Array.isArray(v.tools) && v.tools.length > 0) sample.tools = v.tools as ToolDefinition[];
  if (v.demo === true) sample.demo = true;
  const source = toSource(v.source);
  if (source) sample.source = source;
  if (typeof v.derived_from === 'string' && v.derived_from) sample.derived_from = v.derived_from;
  return sample;
}

/** SPEC 11 `source`: kept when it has the four fields with their types, else left out. */
function toSource(raw: unknown): Sample['source'] {
  const s = asRecord(raw);
  if (typeof s.file !== 'string' || typeof s.chunk_id !== 'string') return undefined;
  if (typeof s.char_start !== 'number' || typeof s.char_end !== 'number') return undefined;
  return { file: s.file, chunk_id: s.chunk_id, char_start: s.char_start, char_end: s.char_end };
}

function toToolCall(raw: unknown): ToolCall | null {
  const c = asRecord(raw);
  const fn = asRecord(c.function);
  if (typeof fn.name !== 'string') return null;
  const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  } catch {
    return null;
  }
  return { id: typeof c.id === 'string' ? c.id : '', type: 'function', function: { name: fn.name, arguments: args } };
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
