/**
 * What the OpenAI and Anthropic providers share about HTTP: reading rate-limit headers and retry hints,
 * telling timeouts from broken connections, and keeping API keys out of every message.
 */
import { checkUsage, optionalCount, type CheckedUsage } from '../core/usage.js';
import type { Usage } from '../core/types.js';
import { BodyTooLargeError } from './fetch.js';
import { ProviderError, type RateLimitInfo } from './types.js';

/** The part of `Headers` we read; the SDKs hand us a real `Headers`. */
export interface HeaderSource {
  get(name: string): string | null;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };

/** Go duration (`6m0s`, `12ms`, `1h2m3.5s`) or bare seconds (`20`, `0.5`) to milliseconds. */
export function parseDuration(value: string | null | undefined): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  let total = 0;
  for (const [, amount, unit] of parts) total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0);
  return Math.round(total);
}

/** `retry-after-ms`, then `retry-after` (seconds or an HTTP date). */
export function retryAfterFromHeaders(headers: HeaderSource | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const after = headers.get('retry-after');
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after.trim())) return Math.round(Number(after) * 1000);
  const at = Date.parse(after);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** "Please try again in 18.642s", "try again in 120ms", "retry after 1m30s" in an error message. */
export function retryAfterFromMessage(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const match = /(?:try again|retry)(?: after| in)?\s+(?:in\s+)?((?:\d+(?:\.\d+)?(?:ms|h|m|s)\s*)+)/i.exec(message);
  if (!match?.[1]) return undefined;
  return parseDuration(match[1].replace(/\s+/g, ''));
}

function int(value: string | null): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function compact(info: RateLimitInfo): RateLimitInfo | undefined {
  const entries = Object.entries(info).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as RateLimitInfo) : undefined;
}

/** OpenAI `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`; resets are Go durations. */
export function openAIRateLimit(headers: HeaderSource | undefined): RateLimitInfo | undefined {
  if (!headers) return undefined;
  return compact({
    limitRequests: int(headers.get('x-ratelimit-limit-requests')),
    remainingRequests: int(headers.get('x-ratelimit-remaining-requests')),
    resetRequestsMs: parseDuration(headers.get('x-ratelimit-reset-requests')),
    limitTokens: int(headers.get('x-ratelimit-limit-tokens')),
    remainingTokens: int(headers.get('x-ratelimit-remaining-tokens')),
    resetTokensMs: parseDuration(headers.get('x-ratelimit-reset-tokens')),
  });
}

function untilDate(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return parseDuration(value);
  return Math.max(0, at - now);
}

/**
 * Anthropic `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
 * resets in RFC 3339. `tokens-*` is the most restrictive limit; input tokens stand in when it is absent.
 */
export function anthropicRateLimit(headers: HeaderSource | undefined, now = Date.now()): RateLimitInfo | undefined {
  if (!headers) return undefined;
  const h = (name: string) => headers.get(`anthropic-ratelimit-${name}`);
  const tokens = h('tokens-limit') != null ? 'tokens' : 'input-tokens';
  return compact({
    limitRequests: int(h('requests-limit')),
    remainingRequests: int(h('requests-remaining')),
    resetRequestsMs: untilDate(h('requests-reset'), now),
    limitTokens: int(h(`${tokens}-limit`)),
    remainingTokens: int(h(`${tokens}-remaining`)),
    resetTokensMs: untilDate(h(`${tokens}-reset`), now),
  });
}

/**
 * Removes the API key (and anything shaped like one, as servers echo keys half-masked) from a message.
 * Every text a provider puts into an error goes through here.
 */
export function redact(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out
    .replace(/\b(sk-[A-Za-z0-9_\-*]{4,})/g, 'sk-[redacted]')
    .replace(/(Bearer\s+)[^\s"',]+/gi, '$1[redacted]')
    .replace(/(api[_-]?key["'\s:=]+)[^\s"',]{6,}/gi, '$1[redacted]');
}

/** One line, bounded, key-free: what an error message may say. */
export function safeMessage(text: string, apiKey?: string, max = 400): string {
  const line = redact(text, apiKey).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const NETWORK_CODES = /ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_CLOSED|socket hang up|other side closed|terminated|fetch failed/i;

/** The chain of causes of an error as text, to recognise `ECONNRESET` under `fetch failed` and the like. */
export function causeText(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current != null && depth < 5; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(`${current.name}: ${current.message}${typeof code === 'string' ? ` (${code})` : ''}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' <- ');
}

/** The first error of class `type` in the chain of causes (at most 5 deep). */
export function findCause<T extends Error>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof type) return current;
    current = current.cause;
  }
  return undefined;
}

export function looksLikeNetworkFailure(err: unknown): boolean {
  return NETWORK_CODES.test(causeText(err));
}

/** Did the caller's signal end the request because time ran out (AbortSignal.timeout), not by a stop? */
export function abortedByTimeout(signal: AbortSignal | undefined): boolean {
  const reason: unknown = signal?.reason;
  return reason instanceof Error && (reason.name === 'TimeoutError' || /time(d)? ?out/i.test(reason.message));
}

/** "prompt is too long", "maximum context length is 8192 tokens": the request cannot fit, not a bug. */
export function isContextLengthMessage(message: string): boolean {
  return /context[_ ]length|maximum context|context window|prompt is too long|too many (input )?tokens|request_too_large/i.test(
    message,
  );
}

/** Parses JSON answer text, forgiving a surrounding ```json fence; `undefined` when it is not JSON. */
export function parseAnswer(text: string): unknown {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  const body = fenced?.[1] ?? text;
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** `0.3 s`, `12 s`: a wait or timeout for a message. */
export function seconds(ms: number): string {
  return `${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;
}

/** Rough token count (chars / 4) for servers that do not report usage. */
export function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The error classes both SDKs export under the same names (each SDK has its own). */
export interface SdkErrorClasses {
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIError: abstract new (...args: never[]) => Error & { status?: number; cause?: unknown };
}

/**
 * A thrown SDK error as a ProviderError: aborts, timeouts and connection failures the same way for every
 * provider; errors with an HTTP status go to the provider's own `statusError`.
 */
export function sdkFailure(
  err: unknown,
  signal: AbortSignal | undefined,
  sdk: SdkErrorClasses,
  say: (text: string) => string,
  timeoutMs: number,
  statusError: (err: Error & { status: number }) => ProviderError,
): ProviderError {
  if (err instanceof ProviderError) return err;
  const tooLarge = findCause(err, BodyTooLargeError);
  // A body over its cap: the server is broken or hostile. `server` (retried with backoff, counted by the
  // breaker) rather than `truncated`: nothing was cut at max tokens, and the answer was never read.
  if (tooLarge) return new ProviderError('server', say(tooLarge.message), { cause: err });
  // An answer whose status was fine but whose body is not JSON (the SDK's response.json() threw).
  if (findCause(err, SyntaxError)) {
    return new ProviderError('parse', say(`the server's answer is not valid JSON (${causeText(err).slice(0, 200)})`), { cause: err });
  }
  if (err instanceof sdk.APIUserAbortError) {
    if (abortedByTimeout(signal)) return new ProviderError('timeout', say('request timed out'), { cause: err });
    return new ProviderError('network', say('request cancelled'), { cause: err });
  }
  if (err instanceof sdk.APIConnectionTimeoutError) return new ProviderError('timeout', say(`no answer within ${seconds(timeoutMs)}`));
  if (err instanceof sdk.APIError) {
    if (err.status === undefined) return new ProviderError('network', say(`connection failed (${causeText(err.cause ?? err)})`));
    return statusError(err as Error & { status: number });
  }
  if (looksLikeNetworkFailure(err)) return new ProviderError('network', say(`connection failed (${causeText(err)})`));
  return new ProviderError('server', say(err instanceof Error ? err.message : String(err)));
}

/** Usage with the cache fields only when the provider reported cache use (rows without caching stay as they were). */
export function cachedUsage(input: number, output: number, cacheRead: number, cacheWrite: number): Usage {
  const usage: Usage = { input_tokens: input, output_tokens: output };
  if (cacheRead > 0) usage.cached_input_tokens = cacheRead;
  if (cacheWrite > 0) usage.cache_write_tokens = cacheWrite;
  return usage;
}

/**
 * OpenAI `usage` (prompt_tokens, completion_tokens) checked (core/usage.ts). A server that sends no usage
 * at all (some compatible servers) is invalid too; its counts are then estimated from the text.
 */
export function openAIUsage(raw: { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined, estimate: Usage): CheckedUsage {
  if (raw == null) return { usage: estimate, valid: false, problem: 'the server reported no usage' };
  return checkUsage({ input_tokens: raw.prompt_tokens, output_tokens: raw.completion_tokens });
}

/** Anthropic `usage`: input_tokens excludes cache reads and writes; all three are input we pay for. */
export function anthropicUsage(raw: Record<string, unknown> | null | undefined): CheckedUsage {
  const checked = checkUsage(raw);
  if (!raw) return checked;
  const read = optionalCount(raw.cache_read_input_tokens, 'cache_read_input_tokens');
  const write = optionalCount(raw.cache_creation_input_tokens, 'cache_creation_input_tokens');
  const problems = [checked.problem, read.problem, write.problem].filter((p): p is string => Boolean(p));
  const usage = { input_tokens: checked.usage.input_tokens + read.value + write.value, output_tokens: checked.usage.output_tokens };
  return problems.length === 0 ? { usage, valid: true } : { usage, valid: false, problem: problems.join('; ') };
}
