/**
 * Anthropic Messages. One HTTP request per `generate` (SDK retries off). SDK 1.x sends
 * `anthropic-version: 2026-10-21`, under which the API rejects temperature/top_p/top_k: we never send
 * them (the config refuses them for Anthropic); diversity comes from the prompts. Structured output through `output_config.format` (answer in a
 * text block), or a forced tool (answer in the tool_use block's input).
 */
import Anthropic, { APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { UsageError } from '../core/errors.js';
import { anthropicSchema } from './anthropic-schema.js';
import { bodyCapFor, bodyCapOption, createHttpFetch } from './fetch.js';
import {
  anthropicRateLimit,
  anthropicUsage,
  cachedUsage,
  isContextLengthMessage,
  parseAnswer,
  retryAfterFromHeaders,
  retryAfterFromMessage,
  safeMessage,
  sdkFailure,
} from './http.js';
import { ProviderError, type GenerateRequest, type GenerateResult, type Provider, type ProviderOptions } from './types.js';

export type AnthropicStructuredMode = 'output_config' | 'tool';

export interface AnthropicProviderOptions extends Omit<ProviderOptions, 'name'> {
  /** How to ask for JSON: `output_config.format` json_schema (default) or a single forced tool. */
  structured?: AnthropicStructuredMode;
  /** Mark the system prompt as a cache breakpoint (default true; below the model's minimum it does nothing). */
  cacheSystem?: boolean;
}

export class AnthropicProvider implements Provider {
  readonly name = 'anthropic';
  readonly model: string;
  readonly demo = false;
  readonly dialect = 'anthropic';
  readonly structured: AnthropicStructuredMode;
  private readonly client: Anthropic;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly cacheSystem: boolean;

  constructor(options: AnthropicProviderOptions) {
    if (!options.apiKey) throw new UsageError('ANTHROPIC_API_KEY is not set: export it, or run with --provider demo');
    this.model = options.model;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs;
    this.structured = options.structured ?? 'output_config';
    this.cacheSystem = options.cacheSystem ?? true;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? 'https://api.anthropic.com',
      maxRetries: 0,
      timeout: options.timeoutMs,
      fetch: options.fetch ?? createHttpFetch(),
    });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    try {
      const { data, response } = await this.client.messages
        .create(this.buildBody(request), { signal: request.signal, timeout: this.timeoutMs, fetchOptions: bodyCapOption(bodyCapFor(request.maxOutputTokens)) })
        .withResponse();
      return this.toResult(data, response.headers);
    } catch (err) {
      throw this.toProviderError(err, request.signal);
    }
  }

  private buildBody(request: GenerateRequest): MessageCreateParamsNonStreaming {
    return anthropicBody(this.model, request, { structured: this.structured, cacheSystem: this.cacheSystem });
  }

  private toResult(data: Message, headers: Headers): GenerateResult {
    return anthropicResult(data, this.structured, this.model, headers);
  }

  /** The failure in our terms (also used by the batch client, for batch calls and errored lines). */
  toProviderError(err: unknown, signal: AbortSignal | undefined): ProviderError {
    const say = (text: string) => safeMessage(`anthropic: ${text}`, this.apiKey);
    return sdkFailure(err, signal, { APIUserAbortError, APIConnectionTimeoutError, APIError }, say, this.timeoutMs, (e) => this.statusError(e as APIError, say));
  }

  private statusError(err: APIError, say: (text: string) => string): ProviderError {
    const status = err.status as number;
    const headers = err.headers ?? undefined;
    const body = err.error as { error?: { type?: string; message?: string } } | undefined;
    const type = body?.error?.type ?? '';
    const apiMessage = body?.error?.message ?? err.message;
    const details = {
      status,
      raw: safeMessage(JSON.stringify(err.error ?? null), this.apiKey, 2000),
      rateLimit: anthropicRateLimit(headers),
    };
    const message = say(`${status} ${type ? `${type}: ` : ''}${apiMessage}`);
    if (status === 401 || status === 403 || type === 'authentication_error' || type === 'permission_error') {
      return new ProviderError('auth', message, details);
    }
    if (status === 402 || type === 'billing_error') return new ProviderError('quota', message, details);
    if (status === 429) {
      const retryAfterMs = retryAfterFromHeaders(headers) ?? retryAfterFromMessage(apiMessage);
      return new ProviderError('rate_limit', message, { ...details, retryAfterMs });
    }
    if (status === 408 || type === 'timeout_error') return new ProviderError('timeout', message, details);
    if (status >= 500) return new ProviderError('server', message, { ...details, retryAfterMs: retryAfterFromHeaders(headers) });
    if (status === 413 || isContextLengthMessage(apiMessage)) return new ProviderError('truncated', message, details);
    return new ProviderError('server', message, details);
  }
}

/**
 * The Messages body for one request: the live provider sends it, the batch client puts it in a batch
 * request's `params`, so both ask exactly the same.
 */
export function anthropicBody(
  model: string,
  request: GenerateRequest,
  options: { structured: AnthropicStructuredMode; cacheSystem: boolean },
): MessageCreateParamsNonStreaming {
  const body: MessageCreateParamsNonStreaming = {
    model,
    max_tokens: request.maxOutputTokens,
    system: [{ type: 'text', text: request.system, ...(options.cacheSystem ? { cache_control: { type: 'ephemeral' as const } } : {}) }],
    messages: request.messages.map((m, i) =>
      i === 0 && request.cachePrefix && m.role === 'user'
        ? {
            role: m.role,
            content: [
              { type: 'text' as const, text: request.cachePrefix, cache_control: { type: 'ephemeral' as const } },
              { type: 'text' as const, text: m.content },
            ],
          }
        : { role: m.role, content: m.content },
    ),
  };
  if (options.structured === 'output_config') {
    body.output_config = { format: { type: 'json_schema', schema: anthropicSchema(request.schema) as Record<string, unknown> } };
  } else {
    body.tools = [
      {
        name: request.schemaName,
        description: 'Record the answer. Call this tool exactly once with the complete answer.',
        input_schema: anthropicSchema(request.schema) as { type: 'object'; [key: string]: unknown },
      },
    ];
    body.tool_choice = { type: 'tool', name: request.schemaName };
  }
  return body;
}

/** A message read as our answer (live response, or a batch result's `message`). */
export function anthropicResult(data: Message, structured: AnthropicStructuredMode, model: string, headers?: Headers): GenerateResult {
  let text = '';
  let json: unknown;
  const toolUse = data.content.find((block) => block.type === 'tool_use');
  if (structured === 'tool' && toolUse && toolUse.type === 'tool_use') {
    json = toolUse.input;
    text = JSON.stringify(toolUse.input);
  } else {
    text = data.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    json = parseAnswer(text);
  }
  let finish: GenerateResult['finish'] = 'stop';
  if (data.stop_reason === 'refusal') finish = 'refusal';
  else if (data.stop_reason === 'max_tokens' || data.stop_reason === 'model_context_window_exceeded') finish = 'length';
  const usage = data.usage;
  const result: GenerateResult = {
    text,
    json: finish === 'stop' ? json : undefined,
    finish,
    usage: { input_tokens: 0, output_tokens: 0 },
    model: data.model || model,
  };
  // Usage is checked (core/usage.ts): input_tokens excludes cache reads and writes; all three are input we
  // pay for, at different rates. Bad figures are flagged for the ledger's worst-case booking.
  const checked = anthropicUsage(usage as unknown as Record<string, unknown> | undefined);
  result.usage = checked.valid ? cachedUsage(checked.usage.input_tokens, checked.usage.output_tokens, usage?.cache_read_input_tokens ?? 0, usage?.cache_creation_input_tokens ?? 0) : checked.usage;
  if (!checked.valid) result.usageInvalid = checked.problem;
  if (headers) result.rateLimit = anthropicRateLimit(headers);
  if (finish === 'refusal') result.refusal = text.trim() || 'the model declined to answer';
  return result;
}
