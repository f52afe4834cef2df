/** What every export format shares: the row type, the writer interface and the reasoning placement. */
import type { Message, Sample, ToolDefinition } from '../../types.js';

export type Row = Record<string, unknown>;

export interface FormatWriter {
  /** Whether this format can hold the sample; the ones it cannot are left out (and counted in notes()). */
  holds(sample: Sample): boolean;
  /** The sample as one line of the file (only for a sample it holds). */
  row(sample: Sample, ctx: ExportContext): Row;
  /** Counts one sample of the session, held or not, for notes(): the export sees each sample once and keeps none. */
  count(sample: Sample): void;
  /** What this format could not carry, with counts, for dataset_info.txt. */
  notes(ctx: ExportContext): string[];
}

/** Facts about the whole export that keep every field one JSON type on every row. */
export interface ExportContext {
  /** When any sample has tools, every row gets a tools field; rows without their own get these. */
  tools: ToolDefinition[] | null;
  /** Some sample has a system prompt. */
  hasSystem: boolean;
}

/**
 * The ExportContext of a session, built one sample at a time in any order: the fallback tool list is that
 * of the first sample by slot, then id (the export's order) that has its own.
 */
export class ExportContextBuilder {
  private anyTools = false;
  private hasSystem = false;
  private firstWithTools: { slot: string; id: string; tools: ToolDefinition[] } | null = null;

  add(sample: Sample): void {
    if (!this.anyTools && (sample.tools !== undefined || sample.messages.some((m) => m.tool_calls))) this.anyTools = true;
    if (!this.hasSystem && sample.messages.some((m) => m.role === 'system')) this.hasSystem = true;
    const first = this.firstWithTools;
    if (sample.tools && (!first || sample.slot < first.slot || (sample.slot === first.slot && sample.id < first.id))) {
      this.firstWithTools = { slot: sample.slot, id: sample.id, tools: sample.tools };
    }
  }

  context(configTools: readonly ToolDefinition[]): ExportContext {
    const fallback = configTools.length > 0 ? [...configTools] : (this.firstWithTools?.tools ?? []);
    return { tools: this.anyTools && fallback.length > 0 ? fallback : null, hasSystem: this.hasSystem };
  }
}

/** Counts of samples that pass each named test, kept one sample at a time. */
export class Tally<K extends string> {
  private readonly counts = new Map<K, number>();
  constructor(private readonly tests: Record<K, (s: Sample) => boolean>) {}

  count(sample: Sample): void {
    for (const key of Object.keys(this.tests) as K[]) if (this.tests[key](sample)) this.counts.set(key, this.of(key) + 1);
  }

  of(key: K): number {
    return this.counts.get(key) ?? 0;
  }
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

/** The assistant text of message i, with that turn's reasoning in front as a <think> block (formats that want text). */
export function assistantText(messages: readonly Message[], reasoning: ReadonlyArray<string | undefined>, i: number): string {
  const m = messages[i] as Message;
  const r = reasoning[i];
  return r ? withThinking(m.content, r) : m.content;
}

export function parseArguments(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

export function hasToolCalls(s: Sample): boolean {
  return s.messages.some((m) => m.tool_calls !== undefined);
}

/** Reasoning on the sample or on any of its assistant turns. */
export function hasReasoning(s: Sample): boolean {
  return (s.reasoning !== undefined && s.reasoning.trim() !== '') || s.messages.some((m) => m.role === 'assistant' && !!m.reasoning?.trim());
}

/** More than one user message: the export counts these as multi-turn samples. */
export function isMultiTurn(s: Sample): boolean {
  return s.messages.filter((m) => m.role === 'user').length > 1;
}

/** A sample without its own tools: when the session has tools, its row carries the session's list (`sample.tools ?? ctx.tools`). */
export function lacksOwnTools(s: Sample): boolean {
  return s.tools === undefined;
}

/** The note for rows that carry the session's tool list because they have none of their own (`lacking` counts lacksOwnTools). */
export function lentToolsNote(format: string, lacking: number, ctx: ExportContext): string | null {
  return ctx.tools !== null && lacking > 0 ? `${format}: ${lacking} row(s) without their own tools carry the session's tool list, so every row has "tools"` : null;
}
