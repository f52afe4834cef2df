/** The OpenAI Chat Completions dialect of the test server. */
import type { JsonSchema } from './answers.js';
import { bearer, goDuration, textOf, type Dialect, type ErrorKind, type ParsedRequest, type Reply } from './dialect.js';
import { schemaViolations } from './schema-rules.js';

const ERRORS: Record<ErrorKind, { status: number; type: string; code: string | null }> = {
  auth: { status: 401, type: 'invalid_request_error', code: 'invalid_api_key' },
  quota: { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' },
  rate_limit: { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
  overloaded: { status: 503, type: 'server_error', code: null },
  server: { status: 500, type: 'server_error', code: null },
  bad_request: { status: 400, type: 'invalid_request_error', code: null },
  not_found: { status: 404, type: 'invalid_request_error', code: 'unknown_url' },
};

function fail(status: number, message: string, param: string | null, code: string | null): Reply {
  return { status, body: { error: { message, type: 'invalid_request_error', param, code } } };
}

/** In json_object mode the schema travels in the system prompt (our provider writes it there). */
function schemaFromPrompt(prompt: string): { name?: string; schema: JsonSchema | null } {
  const match = /schema named "([^"]+)":\s*\n(\{[\s\S]*\})\s*$/m.exec(prompt);
  if (!match?.[2]) return { schema: null };
  for (let end = match[2].length; end > 0; end = match[2].lastIndexOf('}', end - 1)) {
    try {
      return { name: match[1], schema: JSON.parse(match[2].slice(0, end + 1)) as JsonSchema };
    } catch {
      // try a shorter candidate
    }
  }
  return { schema: null };
}

export const openaiDialect: Dialect = {
  endpoint: 'openai.chat.completions',

  apiKey: bearer,

  validate(body, knobs) {
    if (typeof body.model !== 'string' || !body.model) return fail(400, 'you must provide a model parameter', 'model', null);
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return fail(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages', 'empty_array');
    }
    const format = body.response_format as { type?: string; json_schema?: { name?: string; schema?: unknown; strict?: boolean } } | undefined;
    if (format?.type === 'json_schema') {
      if (knobs.rejectJsonSchema) {
        return fail(400, "Invalid value: 'json_schema'. Supported values are: 'json_object' and 'text'.", 'response_format.type', 'invalid_value');
      }
      const name = format.json_schema?.name ?? '';
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
        return fail(400, "Invalid 'response_format.json_schema.name': string does not match pattern.", 'response_format.json_schema.name', 'invalid_value');
      }
      const problem = format.json_schema?.strict ? schemaViolations(format.json_schema.schema, 'openai')[0] : undefined;
      if (problem) return fail(400, `Invalid schema for response_format '${name}': ${problem.message}`, 'response_format', null);
    }
    const tools = Array.isArray(body.tools) ? (body.tools as Array<{ function?: { name?: string; parameters?: unknown; strict?: boolean } }>) : [];
    for (const [i, tool] of tools.entries()) {
      const problem = tool.function?.strict ? schemaViolations(tool.function.parameters ?? {}, 'openai')[0] : undefined;
      if (problem) {
        const where = `tools[${i}].function.parameters`;
        return fail(400, `Invalid schema for function '${tool.function?.name ?? ''}': ${problem.message}`, where, 'invalid_function_parameters');
      }
    }
    if (format?.type === 'json_object') {
      const all = (body.messages as Array<{ content?: unknown }>).map((m) => textOf(m.content)).join('\n');
      if (!/json/i.test(all)) {
        return fail(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages', null);
      }
    }
    return null;
  },

  parse(body): ParsedRequest {
    const messages = body.messages as Array<{ role?: string; content?: unknown }>;
    const prompt = messages.map((m) => textOf(m.content)).join('\n');
    const format = body.response_format as { type?: string; json_schema?: { name?: string; schema?: JsonSchema } } | undefined;
    const fromFormat = format?.type === 'json_schema' ? { name: format.json_schema?.name, schema: format.json_schema?.schema ?? null } : null;
    const found = fromFormat ?? schemaFromPrompt(prompt);
    const maxTokens = Number(body.max_completion_tokens ?? body.max_tokens ?? 4096);
    return { model: String(body.model), schemaName: found.name, schema: found.schema, prompt, inputChars: prompt.length, maxTokens };
  },

  error(kind, message, status) {
    const e = ERRORS[kind];
    return { status: status ?? e.status, body: { error: { message, type: e.type, param: null, code: e.code } } };
  },

  success(request, answer, usage, counter) {
    const refused = answer.finish === 'refusal';
    return {
      status: 200,
      body: {
        id: `chatcmpl-test${counter}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: refused ? null : answer.text, refusal: refused ? answer.text : null },
            finish_reason: answer.finish === 'length' ? 'length' : 'stop',
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: usage.input + usage.cacheRead,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.cacheRead + usage.output,
          prompt_tokens_details: { cached_tokens: usage.cacheRead },
        },
      },
    };
  },

  rateHeaders(rate) {
    return {
      'x-ratelimit-limit-requests': String(rate.limitRequests),
      'x-ratelimit-remaining-requests': String(rate.remainingRequests),
      'x-ratelimit-reset-requests': goDuration(rate.resetRequestsMs),
      'x-ratelimit-limit-tokens': String(rate.limitTokens),
      'x-ratelimit-remaining-tokens': String(rate.remainingTokens),
      'x-ratelimit-reset-tokens': goDuration(rate.resetTokensMs),
    };
  },
};
