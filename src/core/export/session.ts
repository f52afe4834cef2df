/**
 * Reads what an export needs from a session directory: the approved config and stats from session.yaml,
 * the accepted samples (samples.jsonl minus removed.jsonl) and the failures by kind. Damaged lines are
 * skipped and reported in `notes`, never fatal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Config, validateConfig } from '../config.js';
import { UsageError } from '../errors.js';
import type { Message, Role, Sample, ToolCall, ToolDefinition } from '../types.js';
import { readJsonl } from './jsonl.js';

export interface SessionStats {
  requests: number;
  tokens: { input: number; output: number };
  cost_usd: number;
  duplicates: number;
  failures: Record<string, number>;
}

export interface SessionForExport {
  dir: string;
  name: string;
  createdAt: string | null;
  config: Config;
  stats: SessionStats;
  /** Sorted by slot, then id, so the export does not depend on the order lines were appended. */
  samples: Sample[];
  failuresByKind: Record<string, number>;
  notes: string[];
}

const ROLES: ReadonlySet<string> = new Set<Role>(['system', 'user', 'assistant', 'tool']);

export function readSessionForExport(dir: string): SessionForExport {
  const yamlPath = join(dir, 'session.yaml');
  if (!existsSync(yamlPath)) throw new UsageError(`${dir} is not a session directory (no session.yaml)`);
  let doc: Record<string, unknown>;
  try {
    doc = asRecord(parseYaml(readFileSync(yamlPath, 'utf8')));
  } catch (err) {
    throw new UsageError(`${yamlPath}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const config = validateConfig(doc.config, `${yamlPath} config`);
  const notes: string[] = [];

  const removedFile = readJsonl(join(dir, 'removed.jsonl'));
  const removed = new Set(removedFile.values.map((v) => asRecord(v.value).id).filter((id) => typeof id === 'string'));

  const file = readJsonl(join(dir, 'samples.jsonl'));
  if (file.tornLastLine) notes.push('samples.jsonl ends in a torn line (a write cut short); it was skipped');
  const invalid = [...file.badLines];
  const seen = new Set<string>();
  let repeated = 0;
  let removedCount = 0;
  const samples: Sample[] = [];
  for (const { line, value } of file.values) {
    const sample = toSample(value);
    if (!sample) invalid.push(line);
    else if (seen.has(sample.id)) repeated++;
    else if (removed.has(sample.id)) {
      seen.add(sample.id);
      removedCount++;
    } else {
      seen.add(sample.id);
      samples.push(sample);
    }
  }
  if (invalid.length > 0) {
    invalid.sort((a, b) => a - b);
    const shown = invalid.slice(0, 5).join(', ') + (invalid.length > 5 ? ', ...' : '');
    notes.push(`${invalid.length} line(s) of samples.jsonl are not valid samples and were skipped (line ${shown})`);
  }
  if (repeated > 0) notes.push(`${repeated} repeated sample id(s) in samples.jsonl: the first of each was kept`);
  if (removedCount > 0) notes.push(`${removedCount} sample(s) deleted in the sample browser (removed.jsonl) are left out`);
  samples.sort((a, b) => compare(a.slot, b.slot) || compare(a.id, b.id));

  const failuresByKind: Record<string, number> = {};
  const failures = readJsonl(join(dir, 'failures.jsonl'));
  for (const { value } of failures.values) {
    const kind = asRecord(value).kind;
    if (typeof kind === 'string') failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1;
  }

  return {
    dir,
    name: typeof doc.name === 'string' ? doc.name : config.name,
    createdAt: typeof doc.created_at === 'string' ? doc.created_at : null,
    config,
    stats: readStats(doc.stats),
    samples,
    failuresByKind,
    notes,
  };
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
  };
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
  return sample;
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
