/** What differs between the OpenAI and Anthropic endpoints of the test server. */
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonSchema } from './answers.js';
import type { Knobs } from './knobs.js';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The parts of a request the server answers from. */
export interface ParsedRequest {
  model: string;
  schemaName?: string;
  schema: JsonSchema | null;
  /** System and user text joined: where "Return exactly N ..." is looked for. */
  prompt: string;
  inputChars: number;
  maxTokens: number;
  /** Anthropic forced-tool mode: the answer goes into a tool_use block named this. */
  toolName?: string;
  /** Anthropic: the prompt text through the last block marked cache_control, for simulated prompt caching. */
  cachedSystem?: string;
}

export interface Answer {
  /** The answer's text (JSON, cut JSON, or prose). */
  text: string;
  /** The answer as a value, when it is whole JSON (the forced-tool path needs it). */
  json?: unknown;
  finish: 'stop' | 'length' | 'refusal';
}

export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface RateSnapshot {
  limitRequests: number;
  remainingRequests: number;
  resetRequestsMs: number;
  limitTokens: number;
  remainingTokens: number;
  resetTokensMs: number;
}

export type ErrorKind = 'auth' | 'quota' | 'rate_limit' | 'overloaded' | 'server' | 'bad_request' | 'not_found';

export interface Dialect {
  /** Stats key, e.g. `openai.chat.completions`. */
  endpoint: string;
  apiKey(headers: IncomingHttpHeaders): string | undefined;
  /** A 400 for a request the real API would refuse, else null. */
  validate(body: Record<string, unknown>, knobs: Knobs): Reply | null;
  parse(body: Record<string, unknown>): ParsedRequest;
  error(kind: ErrorKind, message: string, status?: number): Reply;
  success(request: ParsedRequest, answer: Answer, usage: Usage, counter: number): Reply;
  rateHeaders(rate: RateSnapshot): Record<string, string>;
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : '')).join('\n');
  }
  return '';
}

export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  const match = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return match?.[1]?.trim() || undefined;
}

/** Go-style duration as OpenAI writes it: `6m0s`, `1.5s`, `12ms`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const totalS = ms / 1000;
  const m = Math.floor(totalS / 60);
  const s = Math.round((totalS - m * 60) * 1000) / 1000;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}
