/** The Anthropic Messages dialect of the test server (as anthropic-version 2026-10-21 behaves). */
import type { JsonSchema } from './answers.js';
import { bearer, textOf, type Dialect, type ErrorKind, type ParsedRequest, type Reply } from './dialect.js';
import { schemaViolations } from './schema-rules.js';

const ERRORS: Record<ErrorKind, { status: number; type: string }> = {
  auth: { status: 401, type: 'authentication_error' },
  quota: { status: 402, type: 'billing_error' },
  rate_limit: { status: 429, type: 'rate_limit_error' },
  overloaded: { status: 529, type: 'overloaded_error' },
  server: { status: 500, type: 'api_error' },
  bad_request: { status: 400, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'not_found_error' },
};

const error = (kind: ErrorKind, message: string, status?: number): Reply => ({
  status: status ?? ERRORS[kind].status,
  body: { type: 'error', error: { type: ERRORS[kind].type, message } },
});

/** Sampling settings the API refuses under anthropic-version 2026-10-21, even at their default values. */
const SAMPLING = ['temperature', 'top_p', 'top_k'] as const;

interface Tool {
  name?: string;
  input_schema?: JsonSchema;
  strict?: boolean;
}

/** The text up to and including the last content block marked cache_control (system blocks, then message blocks). */
function cachedPrefix(body: Record<string, unknown>): string | undefined {
  const blocks: unknown[] = [];
  if (Array.isArray(body.system)) blocks.push(...body.system);
  else if (typeof body.system === 'string') blocks.push({ text: body.system });
  for (const m of (body.messages ?? []) as Array<{ content?: unknown }>) {
    if (Array.isArray(m.content)) blocks.push(...m.content);
    else blocks.push({ text: textOf(m.content) });
  }
  let last = -1;
  blocks.forEach((b, i) => {
    if (b && typeof b === 'object' && 'cache_control' in b) last = i;
  });
  if (last < 0) return undefined;
  return blocks
    .slice(0, last + 1)
    .map((b) => textOf([b]))
    .join('\n');
}

export const anthropicDialect: Dialect = {
  endpoint: 'anthropic.messages',

  apiKey(headers) {
    const key = headers['x-api-key'];
    return (typeof key === 'string' && key.trim()) || bearer(headers);
  },

  validate(body) {
    for (const name of SAMPLING) {
      if (name in body) {
        return error('bad_request', `${name}: Extra inputs are not permitted. Sampling parameters are not supported with anthropic-version 2026-10-21.`);
      }
    }
    if (typeof body.model !== 'string' || !body.model) return error('bad_request', 'model: Field required');
    if (typeof body.max_tokens !== 'number' || body.max_tokens < 1) return error('bad_request', 'max_tokens: Field required');
    if (!Array.isArray(body.messages) || body.messages.length === 0) return error('bad_request', 'messages: at least one message is required');
    const format = (body.output_config as { format?: { type?: string; schema?: unknown } } | undefined)?.format;
    if (format && (format.type !== 'json_schema' || !format.schema || typeof format.schema !== 'object')) {
      return error('bad_request', 'output_config.format: expected {type: "json_schema", schema: {...}}');
    }
    const problem = format ? schemaViolations(format.schema, 'anthropic')[0] : undefined;
    if (problem) return error('bad_request', `output_config.format.schema: ${problem.message}`);
    for (const [i, tool] of ((body.tools ?? []) as Tool[]).entries()) {
      const toolProblem = tool.strict ? schemaViolations(tool.input_schema ?? {}, 'anthropic')[0] : undefined;
      if (toolProblem) return error('bad_request', `tools.${i}.custom.input_schema: ${toolProblem.message}`);
    }
    const choice = body.tool_choice as { type?: string; name?: string } | undefined;
    if (choice?.type === 'tool') {
      const tools = (body.tools ?? []) as Tool[];
      if (!tools.some((t) => t.name === choice.name)) {
        return error('bad_request', `tool_choice: tool "${String(choice.name)}" is not in tools`);
      }
    }
    return null;
  },

  parse(body): ParsedRequest {
    const systemText = textOf(body.system);
    const messages = body.messages as Array<{ content?: unknown }>;
    const prompt = [systemText, ...messages.map((m) => textOf(m.content))].join('\n');
    const format = (body.output_config as { format?: { schema?: JsonSchema } } | undefined)?.format;
    const choice = body.tool_choice as { type?: string; name?: string } | undefined;
    const tool = choice?.type === 'tool' ? ((body.tools ?? []) as Tool[]).find((t) => t.name === choice.name) : undefined;
    const cached = cachedPrefix(body);
    return {
      model: String(body.model),
      schemaName: tool?.name ?? (typeof format?.schema?.title === 'string' ? format.schema.title : undefined),
      schema: tool?.input_schema ?? format?.schema ?? null,
      prompt,
      inputChars: prompt.length,
      maxTokens: Number(body.max_tokens),
      toolName: tool?.name,
      cachedSystem: cached,
    };
  },

  error,

  success(request, answer, usage, counter) {
    const stop = answer.finish === 'length' ? 'max_tokens' : answer.finish === 'refusal' ? 'refusal' : request.toolName ? 'tool_use' : 'end_turn';
    let content: unknown[];
    if (request.toolName && answer.finish !== 'refusal' && (answer.json !== undefined || answer.finish === 'length')) {
      content = [{ type: 'tool_use', id: `toolu_test${counter}`, name: request.toolName, input: answer.json ?? {} }];
    } else {
      content = [{ type: 'text', text: answer.text }];
    }
    return {
      status: 200,
      body: {
        id: `msg_test${counter}`,
        type: 'message',
        role: 'assistant',
        model: request.model,
        content,
        stop_reason: stop,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          output_tokens: usage.output,
          cache_read_input_tokens: usage.cacheRead,
          cache_creation_input_tokens: usage.cacheWrite,
        },
      },
    };
  },

  rateHeaders(rate) {
    const at = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const headers: Record<string, string> = {
      'anthropic-ratelimit-requests-limit': String(rate.limitRequests),
      'anthropic-ratelimit-requests-remaining': String(rate.remainingRequests),
      'anthropic-ratelimit-requests-reset': at(rate.resetRequestsMs),
    };
    for (const kind of ['tokens', 'input-tokens', 'output-tokens']) {
      headers[`anthropic-ratelimit-${kind}-limit`] = String(rate.limitTokens);
      headers[`anthropic-ratelimit-${kind}-remaining`] = String(rate.remainingTokens);
      headers[`anthropic-ratelimit-${kind}-reset`] = at(rate.resetTokensMs);
    }
    return headers;
  },
};
