/**
 * OpenAI Chat Completions, and every server that speaks it (vLLM, Ollama, OpenRouter, llama.cpp) as
 * `openai-compatible`. One HTTP request per `generate` (SDK retries off: the engine owns retries).
 * Structured output is strict json_schema; a server that rejects json_schema switches this provider to
 * json_object mode with the schema spelled out in the system prompt.
 */
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { UsageError } from '../core/errors.js';
import { bodyCapFor, bodyCapOption, createHttpFetch } from './fetch.js';
import {
  cachedUsage,
  isContextLengthMessage,
  openAIRateLimit,
  openAIUsage,
  parseAnswer,
  retryAfterFromHeaders,
  retryAfterFromMessage,
  roughTokens,
  safeMessage,
  sdkFailure,
} from './http.js';
import { ProviderError, type GenerateRequest, type GenerateResult, type Provider, type ProviderOptions } from './types.js';

export type OpenAIOutputMode = 'json_schema' | 'json_object';

export interface OpenAIProviderOptions extends Omit<ProviderOptions, 'name'> {
  name?: 'openai' | 'openai-compatible';
  /** Start in json_object mode (for servers known to lack json_schema). Default json_schema. */
  mode?: OpenAIOutputMode;
}

/** Placeholder key for local OpenAI-compatible servers that need none (the SDK insists on one). */
const NO_KEY = 'not-needed';

export class OpenAIProvider implements Provider {
  readonly name: 'openai' | 'openai-compatible';
  readonly model: string;
  readonly demo = false;
  private readonly client: OpenAI;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private currentMode: OpenAIOutputMode;

  constructor(options: OpenAIProviderOptions) {
    this.name = options.name ?? 'openai';
    this.model = options.model;
    this.timeoutMs = options.timeoutMs;
    this.currentMode = options.mode ?? 'json_schema';
    const key = options.apiKey ?? (this.name === 'openai-compatible' ? NO_KEY : undefined);
    if (!key) throw new UsageError('OPENAI_API_KEY is not set: export it, or run with --provider demo');
    this.apiKey = key;
    this.client = new OpenAI({
      apiKey: key,
      baseURL: options.baseUrl ?? undefined,
      maxRetries: 0,
      timeout: options.timeoutMs,
      fetch: unwrapVllmErrors(options.fetch ?? createHttpFetch()),
    });
  }

  /** Strict json_schema rules, or generic ones once the server has fallen back to json_object. */
  get dialect(): 'openai' | 'generic' {
    return this.currentMode === 'json_schema' ? 'openai' : 'generic';
  }

  /** `json_schema` until a server rejects it, then `json_object` for the rest of this provider's life. */
  get mode(): OpenAIOutputMode {
    return this.currentMode;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const mode = this.currentMode;
    try {
      return await this.send(request, mode);
    } catch (err) {
      const failure = this.toProviderError(err, request.signal);
      if (mode === 'json_schema' && rejectsJsonSchema(failure)) {
        this.currentMode = 'json_object';
        try {
          return await this.send(request, 'json_object');
        } catch (retryErr) {
          throw this.toProviderError(retryErr, request.signal);
        }
      }
      throw failure;
    }
  }

  private async send(request: GenerateRequest, mode: OpenAIOutputMode): Promise<GenerateResult> {
    const body = this.buildBody(request, mode);
    const { data, response } = await this.client.chat.completions
      .create(body, { signal: request.signal, timeout: this.timeoutMs, fetchOptions: bodyCapOption(bodyCapFor(request.maxOutputTokens)) })
      .withResponse();
    return this.toResult(data, response.headers, body);
  }

  private buildBody(request: GenerateRequest, mode: OpenAIOutputMode): ChatCompletionCreateParamsNonStreaming {
    return openAIBody(this.name, this.model, request, mode);
  }

  private toResult(data: ChatCompletion, headers: Headers, body: ChatCompletionCreateParamsNonStreaming): GenerateResult {
    return openAIResult(data, body, this.model, headers);
  }

  /** The failure in our terms (also used by the batch client, for batch calls and errored lines). */
  toProviderError(err: unknown, signal: AbortSignal | undefined): ProviderError {
    const say = (text: string) => safeMessage(`${this.name}: ${text}`, this.apiKey);
    return sdkFailure(err, signal, { APIUserAbortError, APIConnectionTimeoutError, APIError }, say, this.timeoutMs, (e) => this.statusError(e as APIError, say));
  }

  private statusError(err: APIError, say: (text: string) => string): ProviderError {
    const status = err.status as number;
    const headers = err.headers ?? undefined;
    const raw = safeMessage(JSON.stringify(err.error ?? null), this.apiKey, 2000);
    const details = { status, raw, rateLimit: openAIRateLimit(headers) };
    const message = say(err.message);
    const code = String(err.code ?? err.type ?? '');
    if (status === 401 || status === 403) return new ProviderError('auth', message, details);
    if (status === 429) {
      if (code === 'insufficient_quota' || /insufficient_quota|exceeded your current quota/i.test(err.message)) {
        return new ProviderError('quota', message, details);
      }
      const retryAfterMs = retryAfterFromHeaders(headers) ?? retryAfterFromMessage(err.message);
      return new ProviderError('rate_limit', message, { ...details, retryAfterMs });
    }
    if (status === 408) return new ProviderError('timeout', message, details);
    if (status >= 500) return new ProviderError('server', message, { ...details, retryAfterMs: retryAfterFromHeaders(headers) });
    if (code === 'context_length_exceeded' || isContextLengthMessage(err.message)) {
      return new ProviderError('truncated', message, details);
    }
    return new ProviderError('server', message, details);
  }
}

/**
 * The Chat Completions body for one request: the live provider sends it, the batch client writes it as a
 * batch line's `body`, so both ask exactly the same.
 */
export function openAIBody(
  name: 'openai' | 'openai-compatible',
  model: string,
  request: GenerateRequest,
  mode: OpenAIOutputMode,
): ChatCompletionCreateParamsNonStreaming {
  const system =
    mode === 'json_schema'
      ? request.system
      : `${request.system}\n\nAnswer with one JSON object and nothing else (no prose, no code fence). ` +
        `It must match this JSON schema named "${request.schemaName}":\n${JSON.stringify(request.schema)}`;
  const body: ChatCompletionCreateParamsNonStreaming = {
    model,
    messages: [
      { role: 'system', content: system },
      ...request.messages.map((m, i) => ({
        role: m.role,
        content: i === 0 && request.cachePrefix && m.role === 'user' ? `${request.cachePrefix}\n\n${m.content}` : m.content,
      })),
    ],
    response_format:
      mode === 'json_schema'
        ? { type: 'json_schema', json_schema: { name: request.schemaName, schema: request.schema, strict: true } }
        : { type: 'json_object' },
  };
  // Only when the config sets them (the config refuses them for models that reject them).
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // OpenAI's newer models accept only max_completion_tokens; compatible servers all know max_tokens.
  if (name === 'openai') body.max_completion_tokens = request.maxOutputTokens;
  else body.max_tokens = request.maxOutputTokens;
  return body;
}

/** A chat completion read as our answer (live response, or a batch output line's `response.body`). */
export function openAIResult(data: ChatCompletion, body: ChatCompletionCreateParamsNonStreaming, model: string, headers?: Headers): GenerateResult {
  const choice = data.choices?.[0];
  const message = choice?.message;
  const text = message?.content ?? '';
  const refusal = message?.refusal ?? undefined;
  let finish: GenerateResult['finish'] = 'stop';
  if (refusal || choice?.finish_reason === 'content_filter') finish = 'refusal';
  else if (choice?.finish_reason === 'length') finish = 'length';
  const promptChars = body.messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);
  const result: GenerateResult = {
    text,
    json: finish === 'stop' ? parseAnswer(text) : undefined,
    finish,
    usage: { input_tokens: 0, output_tokens: 0 },
    model: data.model || model,
  };
  // Usage is checked (core/usage.ts): bad figures are flagged for the ledger's worst-case booking.
  const usage = openAIUsage(data.usage, { input_tokens: Math.ceil(promptChars / 4), output_tokens: roughTokens(text) });
  // prompt_tokens includes the cached ones (prompt_tokens_details.cached_tokens); OpenAI has no cache writes.
  const cached = data.usage?.prompt_tokens_details?.cached_tokens;
  result.usage = usage.valid ? cachedUsage(usage.usage.input_tokens, usage.usage.output_tokens, typeof cached === 'number' && cached > 0 && cached <= usage.usage.input_tokens ? cached : 0, 0) : usage.usage;
  if (!usage.valid) result.usageInvalid = usage.problem;
  if (headers) result.rateLimit = openAIRateLimit(headers);
  if (finish === 'refusal') result.refusal = refusal ?? 'the answer was withheld by a content filter';
  return result;
}

/** A 400 (or 404/422) that is about response_format / json_schema: the server lacks structured output. */
function rejectsJsonSchema(err: ProviderError): boolean {
  if (err.status !== 400 && err.status !== 404 && err.status !== 422) return false;
  const text = `${err.message} ${err.raw ?? ''}`;
  // "Invalid schema for response_format ..." is our schema's fault, not a server without json_schema.
  if (/invalid schema/i.test(text)) return false;
  return /response_format|json_schema|structured output/i.test(text);
}

/**
 * Older vLLM answers errors unwrapped (`{object: "error", message, type, code}`); the SDK only reads
 * `{error: {...}}`. Rewrap such bodies so the message and code reach our error mapping.
 */
function unwrapVllmErrors(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.ok) return response;
    const text = await response.text();
    let body = text;
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      if (parsed && typeof parsed === 'object' && !('error' in parsed) && typeof parsed.message === 'string') {
        body = JSON.stringify({ error: { message: parsed.message, type: parsed.type, param: parsed.param, code: parsed.code } });
      } else if (parsed && typeof parsed === 'object' && typeof parsed.error === 'string') {
        body = JSON.stringify({ error: { message: parsed.error } });
      }
    } catch {
      // not JSON: the SDK reports the text as the message
    }
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}
