/**
 * What every reader shares: the error a row that cannot be read throws, the canonical sample it builds,
 * tool calls with their ids and argument types, and the reasoning a trainer format keeps as a <think>
 * block at the start of the final answer (the exporters' withThinking, read back).
 */
import type { Message, Sample, ToolCall, ToolDefinition } from '../../types.js';
import { finalAnswerIndex } from '../../export/formats/shared.js';

export type SourceFormat = 'openai' | 'trl' | 'alpaca' | 'sharegpt';
export const SOURCE_FORMATS: readonly SourceFormat[] = ['openai', 'trl', 'alpaca', 'sharegpt'];

/** A row this reader cannot turn into a sample; the message names the field (the caller adds file and line). */
export class RowError extends Error {}

/** A message as read: the canonical message plus reasoning on an assistant turn (SPEC 11). */
export type ReadMessage = Message & { reasoning?: string };

/** What reading a row left behind that no canonical sample field holds, by kind, for the report. */
export interface RowLosses {
  /** Top-level keys of the row no reader field maps to (e.g. metadata columns). */
  extraKeys: string[];
  /** Tool calls that had no id in the file and got one (call_1, call_2, ... within the row). */
  newIds: number;
}

export interface ReadRow {
  sample: Sample;
  losses: RowLosses;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Message content: a string, null/absent (a tool-call turn) or a list of text parts. */
export function contentText(value: unknown, where: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .map((part, i) => {
        if (typeof part === 'string') return part;
        if (isRecord(part) && typeof part.text === 'string') return part.text;
        throw new RowError(`${where} part ${i + 1} is not text (images and audio cannot be converted)`);
      })
      .join('');
  }
  throw new RowError(`${where} must be a string, found ${Array.isArray(value) ? 'a list' : typeof value}`);
}

/** Arguments as the canonical JSON string of an object, from a JSON string (openai) or an object (trl). */
export function argumentsJson(value: unknown, where: string): string {
  if (isRecord(value)) return JSON.stringify(value);
  if (typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value === '' ? '{}' : value);
    } catch {
      throw new RowError(`${where} arguments are not valid JSON`);
    }
    if (!isRecord(parsed)) throw new RowError(`${where} arguments must be a JSON object`);
    return value === '' ? '{}' : value;
  }
  if (value === undefined || value === null) return '{}';
  throw new RowError(`${where} arguments must be a JSON object or a JSON string of one`);
}

/** Hands out ids for tool calls that have none, unique within the row. */
export class CallIds {
  private used = new Set<string>();
  private next = 1;
  fresh = 0;

  take(id: unknown): string {
    if (typeof id === 'string' && id !== '' && !this.used.has(id)) {
      this.used.add(id);
      return id;
    }
    let made = `call_${this.next++}`;
    while (this.used.has(made)) made = `call_${this.next++}`;
    this.used.add(made);
    this.fresh++;
    return made;
  }
}

export function toolCall(id: string, name: unknown, args: unknown, where: string): ToolCall {
  if (typeof name !== 'string' || name === '') throw new RowError(`${where} has no function name`);
  return { id, type: 'function', function: { name, arguments: argumentsJson(args, where) } };
}

export function toolsOf(value: unknown, where: string): ToolDefinition[] | undefined {
  let tools = value;
  if (typeof tools === 'string') {
    if (tools.trim() === '') return undefined;
    try {
      tools = JSON.parse(tools);
    } catch {
      throw new RowError(`${where} is a string but not a JSON list of tools`);
    }
  }
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw new RowError(`${where} must be a list of tool definitions`);
  const out = tools.map((t, i) => {
    const fn = isRecord(t) && isRecord(t.function) ? t.function : isRecord(t) && typeof t.name === 'string' ? t : null;
    if (!fn || typeof fn.name !== 'string') throw new RowError(`${where} item ${i + 1} is not a function definition`);
    return { type: 'function', function: fn } as ToolDefinition;
  });
  return out.length > 0 ? out : undefined;
}

const THINK = /^\s*<think>\n?([\s\S]*?)\n?<\/think>(?:\n\n|\s*)/;

/** Splits a leading <think> block off assistant text: the inverse of the exporters' withThinking. */
export function splitThinking(text: string): { reasoning: string | null; content: string } {
  const m = THINK.exec(text);
  if (!m) return { reasoning: null, content: text };
  return { reasoning: (m[1] as string).trim(), content: text.slice(m[0].length) };
}

export interface BuildOptions {
  /** The format keeps reasoning as a <think> block in the final answer's text (trl, sharegpt, alpaca). */
  thinkInText: boolean;
  tools?: ToolDefinition[];
  extraKeys?: string[];
  newIds?: number;
}

/**
 * The canonical sample of a row's messages: an assistant turn's reasoning (its `reasoning` field, or a
 * leading <think> block where the format keeps it in text) goes to `sample.reasoning` for the final answer
 * and stays on the message for an earlier turn. A row needs an
 * assistant turn. Ids, slot and category are placeholders the caller fills in.
 */
export function buildSample(messages: ReadMessage[], opts: BuildOptions): ReadRow {
  if (!messages.some((m) => m.role === 'assistant')) throw new RowError('no assistant turn (nothing to train on)');
  const final = finalAnswerIndex(messages);
  let reasoning: string | undefined;
  const out: Message[] = messages.map((m, i) => {
    const message: Message = { role: m.role, content: m.content };
    if (m.tool_calls) message.tool_calls = m.tool_calls;
    if (m.tool_call_id !== undefined) message.tool_call_id = m.tool_call_id;
    if (m.role !== 'assistant') return message;
    let own = m.reasoning?.trim() || undefined;
    if (!own && opts.thinkInText) {
      const split = splitThinking(m.content);
      if (split.reasoning !== null) {
        own = split.reasoning;
        message.content = split.content;
      }
    }
    // The final answer's reasoning is the sample's (the older form every writer reads); an earlier turn keeps
    // its own (SPEC 11: reasoning per assistant turn).
    if (own && i === final) reasoning = own;
    else if (own) message.reasoning = own;
    return message;
  });
  const sample: Sample = { id: '', slot: '', category: '', topic: '', messages: out, model: '', usage: { input_tokens: 0, output_tokens: 0 }, created_at: '' };
  if (reasoning) sample.reasoning = reasoning;
  if (opts.tools) sample.tools = opts.tools;
  return { sample, losses: { extraKeys: opts.extraKeys ?? [], newIds: opts.newIds ?? 0 } };
}

export function extraKeys(row: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(row).filter((k) => !known.includes(k));
}
