/** What every export format shares: the row type, the writer interface and the reasoning placement. */
import type { Message, Sample, ToolDefinition } from '../../types.js';

export type Row = Record<string, unknown>;

export interface FormatWriter {
  /** The sample as one line of the file, or null when this format cannot hold it (counted in notes()). */
  row(sample: Sample): Row | null;
  /** What this format could not carry, with counts, for dataset_info.txt. */
  notes(): string[];
}

/** Facts about the whole export that keep every field one JSON type on every row. */
export interface ExportContext {
  /** When any sample has tools, every row gets a tools field; rows without their own get these. */
  tools: ToolDefinition[] | null;
  /** Some sample has a system prompt. */
  hasSystem: boolean;
}

export function exportContext(samples: readonly Sample[], configTools: readonly ToolDefinition[]): ExportContext {
  const anyTools = samples.some((s) => s.tools !== undefined || s.messages.some((m) => m.tool_calls));
  const fallback = configTools.length > 0 ? [...configTools] : (samples.find((s) => s.tools)?.tools ?? []);
  return {
    tools: anyTools && fallback.length > 0 ? fallback : null,
    hasSystem: samples.some((s) => s.messages.some((m) => m.role === 'system')),
  };
}

/** The assistant message that answers last: the reasoning of a sample belongs to it. */
export function finalAnswerIndex(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Message;
    if (m.role === 'assistant' && !m.tool_calls) return i;
  }
  for (let i = messages.length - 1; i >= 0; i--) if ((messages[i] as Message).role === 'assistant') return i;
  return -1;
}

/** Reasoning as trainers of thinking models expect it in text: a <think> block before the answer. */
export function withThinking(content: string, reasoning: string): string {
  return `<think>\n${reasoning.trim()}\n</think>\n\n${content}`;
}

/** The assistant text of message i, with the sample's reasoning in front when i is the final answer. */
export function assistantText(sample: Sample, i: number): string {
  const m = sample.messages[i] as Message;
  return sample.reasoning && i === finalAnswerIndex(sample.messages) ? withThinking(m.content, sample.reasoning) : m.content;
}

export function parseArguments(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

export function countWhere(samples: readonly Sample[], test: (s: Sample) => boolean): number {
  let n = 0;
  for (const s of samples) if (test(s)) n++;
  return n;
}

export function hasToolCalls(s: Sample): boolean {
  return s.messages.some((m) => m.tool_calls !== undefined);
}

export function hasReasoning(s: Sample): boolean {
  return s.reasoning !== undefined;
}

/** More than one user message: the export counts these as multi-turn samples. */
export function isMultiTurn(s: Sample): boolean {
  return s.messages.filter((m) => m.role === 'user').length > 1;
}

/** The note for rows that carry the session's tool list (`sample.tools ?? ctx.tools`) because they have none of their own. */
export function lentToolsNote(format: string, samples: readonly Sample[], ctx: ExportContext): string | null {
  const lent = countWhere(samples, (s) => ctx.tools !== null && s.tools === undefined);
  return lent > 0 ? `${format}: ${lent} row(s) without their own tools carry the session's tool list, so every row has "tools"` : null;
}
