import type { SampleScores } from './quality/judge.js';
/**
 * The nouns of synthloom, in the user's words. Everything the engine writes to a session and every
 * event it emits is built from these.
 */

export const FAILURE_KINDS = [
  'rate_limit',
  'timeout',
  'network',
  'server',
  'auth',
  'quota',
  'truncated',
  'refusal',
  'parse',
  'schema',
  'duplicate',
  'filtered',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Kinds that end the run at once: retrying cannot help and only burns money or time. */
export const FATAL_KINDS: ReadonlySet<FailureKind> = new Set(['auth', 'quota']);

/**
 * Whether a failure ends the run: auth and quota, and an HTTP 404 (a model or endpoint that does not exist:
 * a config mistake that every retry would repeat).
 */
export function endsTheRun(kind: FailureKind, status?: number): boolean {
  return FATAL_KINDS.has(kind) || status === 404;
}

/** Exit code of a run a failure ended: 2 for a config problem (bad key, unknown model or URL), else 1. */
export function fatalExitCode(kind: FailureKind, status?: number): number {
  return kind === 'auth' || status === 404 ? 2 : 1;
}

/** Why a failure ended the run, in the words a user acts on. */
export function fatalReason(kind: FailureKind, message: string, status?: number): string {
  return status === 404 ? `not found (404): check provider.model and provider.base_url: ${message}` : `${kind}: ${message}`;
}

/** Kinds caused by transport or the provider's capacity: retried after a backoff delay. */
export const TRANSIENT_KINDS: ReadonlySet<FailureKind> = new Set(['rate_limit', 'timeout', 'network', 'server']);

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  type: 'function';
  /** `arguments` is kept as a JSON string, the OpenAI wire shape; exporters convert where a format wants objects. */
  function: { name: string; arguments: string };
}

export interface Message {
  role: Role;
  content: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** SPEC 11: the reasoning before this assistant turn (per turn; `Sample.reasoning` is the older per-sample form). */
  reasoning?: string;
}

export interface Usage {
  /** All input tokens, cached ones included (the two fields below are parts of this one). */
  input_tokens: number;
  output_tokens: number;
  /** Input tokens read from the provider's prompt cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens). */
  cached_input_tokens?: number;
  /** Input tokens written to the prompt cache (Anthropic cache_creation_input_tokens). */
  cache_write_tokens?: number;
}

/** An OpenAI-style function tool definition, as written in the config's `conversation.tools`. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** SPEC 5.1: one accepted example, one line of samples.jsonl. */
export interface Sample {
  id: string;
  slot: string;
  category: string;
  topic: string;
  messages: Message[];
  reasoning?: string;
  tools?: ToolDefinition[];
  model: string;
  usage: Usage;
  created_at: string;
  /** Present (true) only on samples made by the offline demo provider. */
  demo?: boolean;
  /** SPEC 11: the document chunk a grounded sample was made from (char offsets into the document's text). */
  source?: { file: string; chunk_id: string; char_start: number; char_end: number };
  /** SPEC 11: the id of the accepted sample an augmentation derived this one from. */
  derived_from?: string;
  /** SPEC 11: the LLM judge's scores (each criterion's score and rationale, their weighted mean). */
  scores?: SampleScores;
}

/** SPEC 5: one line of failures.jsonl. */
export interface Failure {
  slot: string;
  attempt: number;
  kind: FailureKind;
  message: string;
  status?: number;
  raw?: string;
  at: string;
  /** false when the slot's retries are exhausted (it stays unfilled until --retry-failed). */
  will_retry?: boolean;
  /** Tokens the failed answer cost, when there was an answer (on the first slot of a request only). */
  usage?: Usage;
}

export type DatasetType = 'basic' | 'reasoning' | 'agent';

/** A node of the topic tree. Ids are stable for the life of a session: slots are named after them. */
export interface Topic {
  id: string;
  name: string;
  /** Names from the root's first child down to this node. */
  path: string[];
  weight: number;
  children: Topic[];
}

/** A leaf topic with how many examples it must yield. */
export interface LeafTarget {
  topicId: string;
  category: string;
  path: string[];
  target: number;
}

/** The diversity axes chosen for one slot; fed into its prompt. */
export interface SlotSpec {
  id: string;
  topicId: string;
  replica: number;
  category: string;
  path: string[];
  audience: string;
  complexity: 'simple' | 'moderate' | 'complex';
  turns: number;
  scenario: 'typical' | 'edge_case' | 'negative';
  angle: string;
  /** Grounded runs (config.sources): the slot's question and its chunk(s) (src/core/grounding/run.ts). */
  grounded?: import('./grounding/runtime.js').GroundedSlotData;
}

export type SessionStatus =
  | 'planned'
  | 'expanding'
  | 'running'
  | 'paused'
  | 'budget_paused'
  | 'interrupted'
  | 'done'
  | 'incomplete'
  | 'failed';

export interface TokenCounts {
  input: number;
  output: number;
}
