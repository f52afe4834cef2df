/**
 * The one interface every provider implements. Core owns it; the composition root (cli, commands, the
 * library entry) creates providers and injects them, so core never imports src/providers. The engine owns
 * retries, pacing and validation; a provider makes exactly one HTTP request per `generate` call (SDK
 * retries are off) and reports what happened in these terms.
 */
import type { Config } from './config.js';
import type { FailureKind, SlotSpec, ToolDefinition, Usage } from './types.js';

/** What a provider's rate-limit headers said, normalised. Any field may be missing. */
export interface RateLimitInfo {
  limitRequests?: number;
  remainingRequests?: number;
  /** Milliseconds until the request window resets. */
  resetRequestsMs?: number;
  limitTokens?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface GenerateRequest {
  /** Instructions for the generator model (not the system prompt written into examples). */
  system: string;
  /** The conversation with the generator: usually one user turn; on a retry the failed answer and the
   * validation error follow as an assistant and a user turn. */
  messages: ChatTurn[];
  /**
   * Static text that opens the first user turn and is the same for a group of requests (few-shot
   * examples, the document chunk of grounded questions). Anthropic sends it as its own content block
   * marked `cache_control: ephemeral`; OpenAI sends `cachePrefix + "\n\n" + content`, where its automatic
   * prefix caching finds it. Absent: the request is sent as before.
   */
  cachePrefix?: string;
  /** JSON schema of the answer (strict-mode compatible: every property required, no additional properties). */
  schema: Record<string, unknown>;
  /** Name of the schema, `^[a-zA-Z0-9_-]{1,64}$`. */
  schemaName: string;
  maxOutputTokens: number;
  /** Sampling settings from the config; absent means the provider's default. */
  temperature?: number;
  topP?: number;
  /** What the request is for, as data: the offline demo provider answers from these facts, never by
   * parsing the English prompt. Real providers ignore them. */
  facts?: RequestFacts;
  signal?: AbortSignal;
}

/** Structured facts about a request (see GenerateRequest.facts). */
export type RequestFacts =
  | { stage: 'topics'; parent: string; count: number; root: boolean }
  | { stage: 'samples'; kind: 'basic' | 'reasoning' | 'agent' | 'grounded'; slots: SlotSpec[]; tools: ToolDefinition[] }
  /** A judge request: the rubric's criterion names, in schema order. */
  | { stage: 'judge'; criteria: string[] }
  /** An augment request: how the origin is derived, and its user/assistant turns. */
  | { stage: 'augment'; method: 'rephrase' | 'expand' | 'difficulty' | 'format'; turns: { role: 'user' | 'assistant'; content: string }[] };

export interface GenerateResult {
  /** The answer's JSON text exactly as received (for failure records). */
  text: string;
  /** The parsed JSON, when the provider could parse it (`undefined` otherwise; the engine reports `parse`). */
  json?: unknown;
  /** `length`: cut off at max tokens (truncated); `refusal`: the model declined. */
  finish: 'stop' | 'length' | 'refusal';
  refusal?: string;
  usage: Usage;
  /** The model id the server says answered. */
  model: string;
  rateLimit?: RateLimitInfo;
  /** Set when the usage figures the server sent were not non-negative whole numbers: the ledger then books
   * the request at the plan's worst case instead of trusting them. */
  usageInvalid?: string;
}

export class ProviderError extends Error {
  readonly kind: FailureKind;
  readonly status?: number;
  /** From Retry-After / retry-after-ms / "try again in 18.6s" in the message. */
  readonly retryAfterMs?: number;
  readonly raw?: string;
  readonly rateLimit?: RateLimitInfo;

  constructor(
    kind: FailureKind,
    message: string,
    details: { status?: number; retryAfterMs?: number; raw?: string; rateLimit?: RateLimitInfo; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.raw = details.raw;
    this.rateLimit = details.rateLimit;
  }
}

export interface Provider {
  /** `openai`, `anthropic`, `openai-compatible`, `demo`. */
  readonly name: string;
  readonly model: string;
  /** True for the offline demo provider; its samples are labelled as demo data. */
  readonly demo: boolean;
  /** Which structured-output rules the answer schema must follow (agent-schema.ts): `openai` strict
   * json_schema, `anthropic` output_config, `generic` (json_object prompts, servers without strict rules).
   * Absent: `generic`. May change during a run (OpenAI's json_object fallback). */
  readonly dialect?: 'openai' | 'anthropic' | 'generic';
  /** One request; resolves with the answer or rejects with a ProviderError. */
  generate(request: GenerateRequest): Promise<GenerateResult>;
}

/** What the wizard can offer without asking: keys in the environment, an Ollama server on localhost. */
export interface DetectedProviders {
  openai: boolean;
  anthropic: boolean;
  ollama: { available: boolean; url: string; models: string[] };
}

/** What the composition root hands core to make providers: one for a provider section of a config. */
export type ProviderFactory = (provider: Config['provider']) => Provider;

export interface ProviderOptions {
  name: 'openai' | 'anthropic' | 'openai-compatible' | 'demo';
  model: string;
  baseUrl?: string | null;
  /** Taken from the environment by the caller; never written anywhere. */
  apiKey?: string;
  timeoutMs: number;
  /** Extra HTTP client settings for tests (for example a custom fetch). */
  fetch?: typeof fetch;
}
