/**
 * What `synthloom import` does to each conversation after its filters: the system prompt kept, dropped or
 * replaced; a turn limit (a turn is a user message and everything answering it) that cuts or drops longer
 * conversations; and personal data redacted (or the row rejected) with the quality stage's PII finder, in
 * every message, tool-call argument and the reasoning.
 */
import { type PiiKind, findPii, redactPii } from '../quality/pii.js';
import type { Message, Sample } from '../types.js';

export type SystemMode = { mode: 'keep' } | { mode: 'drop' } | { mode: 'replace'; text: string };
export type PiiMode = 'redact' | 'reject' | 'off';
export type LongMode = 'cut' | 'drop';

export function applySystem(sample: Sample, system: SystemMode): void {
  if (system.mode === 'keep') return;
  const rest = sample.messages.filter((m) => m.role !== 'system');
  sample.messages = system.mode === 'drop' ? rest : [{ role: 'system', content: system.text }, ...rest];
}

export function userTurns(sample: Sample): number {
  return sample.messages.filter((m) => m.role === 'user').length;
}

/**
 * The first `max` turns of the conversation (cut before its (max+1)th user message). Returns false when
 * what is left has no assistant answer. The reasoning of the final answer goes when that answer is cut.
 */
export function cutTurns(sample: Sample, max: number): boolean {
  let users = 0;
  const end = sample.messages.findIndex((m) => m.role === 'user' && ++users > max);
  if (end < 0) return true;
  sample.messages = sample.messages.slice(0, end);
  const answers = (m: Message | undefined) => m !== undefined && m.role === 'assistant' && !m.tool_calls;
  while (sample.messages.length > 0 && !answers(sample.messages[sample.messages.length - 1])) sample.messages.pop();
  delete sample.reasoning;
  return sample.messages.some((m) => m.role === 'assistant');
}

/** PII hits by kind over a set of rows. */
export class PiiTally {
  readonly byKind = new Map<PiiKind, number>();
  rows = 0;

  add(kinds: PiiKind[]): void {
    if (kinds.length === 0) return;
    this.rows++;
    for (const k of kinds) this.byKind.set(k, (this.byKind.get(k) ?? 0) + 1);
  }

  describe(): string {
    return [...this.byKind].map(([k, n]) => `${n} ${k}`).join(', ');
  }
}

/** Redacts every PII hit in the sample in place; returns the kinds of the hits (empty: none found). */
export function redactSample(sample: Sample): PiiKind[] {
  const kinds: PiiKind[] = [];
  const redact = (text: string): string => {
    const r = redactPii(text);
    for (const h of r.hits) kinds.push(h.kind);
    return r.text;
  };
  for (const m of sample.messages) {
    m.content = redact(m.content);
    for (const call of m.tool_calls ?? []) {
      const before = kinds.length;
      const args = mapStrings(JSON.parse(call.function.arguments), redact);
      if (kinds.length > before) call.function.arguments = JSON.stringify(args);
    }
  }
  if (sample.reasoning) sample.reasoning = redact(sample.reasoning);
  return kinds;
}

/** The kinds of PII in the sample, without changing it. */
export function findSamplePii(sample: Sample): PiiKind[] {
  const kinds: PiiKind[] = [];
  const find = (text: string): string => {
    for (const h of findPii(text)) kinds.push(h.kind);
    return text;
  };
  for (const m of sample.messages) {
    find(m.content);
    for (const call of m.tool_calls ?? []) mapStrings(JSON.parse(call.function.arguments), find);
  }
  if (sample.reasoning) find(sample.reasoning);
  return kinds;
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
    return out;
  }
  return value;
}
