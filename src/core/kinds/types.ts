/**
 * A dataset kind (SPEC 7: basic, reasoning, agent) is one module that owns everything that differs between
 * kinds: the answer schema, its parts of the prompt, how an answer becomes canonical messages, its own
 * checks, its token estimate, and what the offline demo provider writes for it. Nothing outside kinds/
 * branches on the dataset type.
 */
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Random } from '../random.js';
import type { DatasetType, Message, SlotSpec, ToolDefinition } from '../types.js';

/** One example as the generator model writes it (the answer schema's item). Agent examples are held as
 * the model wrote them (arguments objects, nulls for unused fields) and validated by the kind's check. */
export interface GeneratedExample {
  reasoning?: string;
  messages: {
    role: 'user' | 'assistant' | 'tool';
    content: string;
    tool_calls?: { id: string; name: string; arguments: string | Record<string, unknown> }[] | null;
    tool_call_id?: string | null;
    /** The assistant's reasoning before this turn (null or absent on other turns). */
    reasoning?: string | null;
  }[];
}

export type SchemaDialect = 'openai' | 'anthropic' | 'generic';

/** What an example contributes to the canonical sample. */
export interface Mapped {
  messages: Message[];
  reasoning?: string;
  tools?: ToolDefinition[];
  /** Fields the sample gets (grounded: `source`). */
  extra?: Record<string, unknown>;
  /** The text duplicates are compared on, when not the whole conversation (grounded: question and answer). */
  dedupText?: string;
}

export interface KindProblem {
  kind: 'schema' | 'filtered';
  message: string;
}

export interface DatasetKind {
  readonly type: DatasetType;
  /** zod schema of one example, as the answer must hold it. */
  exampleSchema(config: Config): z.ZodType<GeneratedExample>;
  /** The answer schema sent on the wire for `count` examples under the provider's structured-output
   * rules; absent: the zod exampleSchema's JSON schema with minItems = maxItems = count. */
  wireSchema?(config: Config, count: number, dialect: SchemaDialect): Record<string, unknown>;
  /** The sentence added to the generator's system prompt. */
  systemAddendum: string;
  /** Kind-specific instruction lines of the sample prompt. */
  promptLines(config: Config): string[];
  /** The answer's example as canonical messages (system prompt not included). */
  toMessages(example: GeneratedExample, config: Config, slot?: SlotSpec): Mapped;
  /** Checks only this kind makes (the shared structure and quality gates run separately). */
  check(example: GeneratedExample, slot: SlotSpec, config: Config): KindProblem | null;
  /** Whether assistant messages may carry tool calls. */
  readonly toolCalls: boolean;
  /** Output tokens this kind adds to one example on top of its turns (plan estimate). */
  readonly extraOutputTokens: number;
  /** The offline demo provider's example for one slot. */
  demoExample(slot: SlotSpec, rand: Random, tools: ToolDefinition[]): GeneratedExample;
}
