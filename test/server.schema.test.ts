/**
 * The test server as a strict structured-output server: it refuses the schemas the real APIs refuse (with
 * their error shapes) and answers values valid for the request's schema, including coherent agent
 * conversations for the agent kind's schema (src/core/kinds/agent-schema.ts).
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAnswerSchema, AgentSchemaError, type SchemaDialect } from '../src/core/kinds/agent-schema.js';
import { checkAgentExample, type GeneratedAgentMessage } from '../src/core/kinds/agent-checks.js';
import { validateToolCall } from '../src/core/kinds/tool-args.js';
import { mulberry32 } from '../src/core/random.js';
import { AnthropicProvider } from '../src/providers/anthropic.js';
import { OpenAIProvider } from '../src/providers/openai.js';
import type { GenerateRequest } from '../src/providers/types.js';
import { TOOLS } from './fixtures/kinds/tools.js';
import { startTestServer, type TestServer } from './server/index.js';
import { instanceFor, patternString } from './server/schema-answer.js';
import { schemaViolations } from './server/schema-rules.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: 11 });
});
afterAll(async () => {
  await server.close();
});

const ajv = new Ajv({ strict: false, allErrors: true });
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
  ...extra,
});

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const openaiBody = (schema: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-test',
  messages: [{ role: 'user', content: 'Return exactly 2 examples. Answer in JSON.' }],
  response_format: { type: 'json_schema', json_schema: { name: 'examples', schema, strict: true } },
  ...extra,
});
const anthropicBody = (schema: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'claude-test',
  max_tokens: 8000,
  messages: [{ role: 'user', content: 'Return exactly 2 examples.' }],
  output_config: { format: { type: 'json_schema', schema } },
  ...extra,
});

describe('schema rules', () => {
  it('OpenAI strict: the root is an object, every object closed and fully required', () => {
    expect(schemaViolations(obj({ a: { type: 'string' } }), 'openai')).toEqual([]);
    expect(schemaViolations({ type: 'array', items: { type: 'string' } }, 'openai')[0]?.message).toMatch(/Root schema must be of type 'object'/);
    const open = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    expect(schemaViolations(open, 'openai')[0]?.message).toMatch(/'additionalProperties' is required to be supplied and to be false/);
    const partial = { ...obj({ a: { type: 'string' }, b: { type: 'number' } }), required: ['a'] };
    expect(schemaViolations(partial, 'openai')[0]?.message).toMatch(/Missing 'b'/);
    const nested = obj({ list: { type: 'array', items: { type: 'object', properties: { x: { type: 'string' } } } } });
    expect(schemaViolations(nested, 'openai')[0]?.path).toBe("'list', 'items'");
    // bounds are fine for OpenAI
    expect(schemaViolations(obj({ n: { type: 'integer', minimum: 1, maximum: 3 }, l: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 } }), 'openai')).toEqual([]);
  });

  it('Anthropic: closed objects, no bounds or lengths, minItems 0 or 1 only, no recursion, at most 16 unions', () => {
    expect(schemaViolations({ type: 'object', properties: { a: { type: 'string' } } }, 'anthropic')[0]?.message).toMatch(/additionalProperties/);
    expect(schemaViolations(obj({ a: { type: 'string' } }, { required: [] }), 'anthropic')).toEqual([]);
    for (const bad of [{ type: 'integer', minimum: 1 }, { type: 'number', maximum: 1 }, { type: 'string', maxLength: 4 }, { type: 'number', multipleOf: 2 }]) {
      expect(schemaViolations(obj({ a: bad }), 'anthropic')).toHaveLength(1);
    }
    expect(schemaViolations(obj({ a: { type: 'array', items: { type: 'string' }, maxItems: 2 } }), 'anthropic')[0]?.message).toMatch(/maxItems/);
    expect(schemaViolations(obj({ a: { type: 'array', items: { type: 'string' }, minItems: 2 } }), 'anthropic')[0]?.message).toMatch(/minItems/);
    expect(schemaViolations(obj({ a: { type: 'array', items: { type: 'string' }, minItems: 1 } }), 'anthropic')).toEqual([]);
    const recursive = { ...obj({ child: { $ref: '#/$defs/node' } }), $defs: { node: obj({ child: { anyOf: [{ $ref: '#/$defs/node' }, { type: 'null' }] } }) } };
    expect(schemaViolations(recursive, 'anthropic').map((v) => v.message).join()).toMatch(/Recursive/);
    const unions = (n: number) => obj(Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: ['string', 'null'] }])));
    expect(schemaViolations(unions(16), 'anthropic')).toEqual([]);
    expect(schemaViolations(unions(17), 'anthropic')[0]?.message).toMatch(/too many parameters with union types \(17/);
  });

  it('answers 400 in each API error shape, and the first request of a good schema 200', async () => {
    const open = { type: 'object', properties: { examples: { type: 'array', items: { type: 'string' } } } };
    const o = await post('/v1/chat/completions', openaiBody(open));
    expect(o.status).toBe(400);
    expect(o.json).toMatchObject({ error: { type: 'invalid_request_error', param: 'response_format', code: null } });
    expect((o.json.error as { message: string }).message).toMatch(/^Invalid schema for response_format 'examples': In context=\(\)/);
    const strictTool = { type: 'function', function: { name: 'get_weather', strict: true, parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
    const t = await post('/v1/chat/completions', openaiBody(obj({ a: { type: 'string' } }), { tools: [strictTool] }));
    expect(t.status).toBe(400);
    expect(t.json).toMatchObject({ error: { param: 'tools[0].function.parameters', code: 'invalid_function_parameters' } });
    const a = await post('/v1/messages', anthropicBody(obj({ n: { type: 'integer', minimum: 1 } })));
    expect(a.status).toBe(400);
    expect(a.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect((a.json.error as { message: string }).message).toMatch(/^output_config\.format\.schema: For 'integer' type, property 'minimum' is not supported/);
    expect((await post('/v1/messages', anthropicBody(obj({ n: { type: 'integer' } })))).status).toBe(200);
  });
});

describe('values that follow the schema', () => {
  it('are valid for 300 draws over enums, consts, bounds, nullables, patterns, formats and nested arrays', () => {
    const schema = obj({
      kind: { type: 'string', enum: ['a', 'b'] },
      fixed: { const: 7 },
      n: { type: 'integer', minimum: 3, maximum: 5 },
      x: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      step: { type: 'integer', minimum: 10, maximum: 40, multipleOf: 5 },
      maybe: { anyOf: [{ type: 'string', minLength: 12 }, { type: 'null' }] },
      either: { type: ['integer', 'null'] },
      code: { type: 'string', pattern: '^[A-Z]{2}-\\d{4}$' },
      day: { type: 'string', format: 'date' },
      short: { type: 'string', maxLength: 5 },
      rows: { type: 'array', minItems: 2, maxItems: 4, items: obj({ id: { type: 'string' }, ok: { type: 'boolean' } }) },
      ref: { $ref: '#/$defs/point' },
    }, { $defs: { point: obj({ lat: { type: 'number', minimum: -90, maximum: 90 } }) } });
    const validate = ajv.compile(schema);
    for (let i = 0; i < 300; i++) {
      const value = instanceFor(schema, schema, { rng: mulberry32(i), counter: i, nullRate: 0.3 });
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('makes strings for simple regex patterns, and gives up (null) on ones it cannot prove', () => {
    const rng = mulberry32(3);
    expect(patternString('^ORD-[0-9]{6}$', rng)).toMatch(/^ORD-[0-9]{6}$/);
    expect(patternString('^[a-z_]+\\.json$', rng)).toMatch(/^[a-z_]+\.json$/);
    expect(patternString('^(a|b)$', rng)).toBeNull();
  });
});

type Call = { id: string; name: string; arguments: Record<string, unknown> };
type Msg = { role: string; content: string; tool_calls: Call[] | null; tool_call_id: string | null; reasoning?: string | null };
type Answer = { examples: Array<{ messages: Msg[] }> };

/** The agent acceptance checks on one example: calls valid, every id answered exactly once, answer last. */
function checkEpisode(messages: Msg[], userTurns: number): void {
  expect(messages[0]?.role).toBe('user');
  expect(messages.filter((m) => m.role === 'user')).toHaveLength(userTurns);
  const last = messages[messages.length - 1]!;
  expect(last.role).toBe('assistant');
  expect(last.tool_calls).toBeNull();
  expect(last.content.length).toBeGreaterThan(0);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== 'assistant' || !m.tool_calls) {
      expect(m.tool_calls).toBeNull();
      if (m.role !== 'tool') expect(m.tool_call_id).toBeNull();
      continue;
    }
    expect(m.tool_call_id).toBeNull();
    const ids = m.tool_calls.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const call of m.tool_calls) {
      const check = validateToolCall(call, TOOLS);
      expect(check, JSON.stringify(call)).toMatchObject({ ok: true });
    }
    const results = messages.slice(i + 1, i + 1 + ids.length);
    expect(results.map((r) => r.role)).toEqual(ids.map(() => 'tool'));
    expect(results.map((r) => r.tool_call_id).sort()).toEqual([...ids].sort());
    expect(messages.filter((r) => r.role === 'tool' && ids.includes(r.tool_call_id ?? ''))).toHaveLength(ids.length);
  }
}

describe('the agent answer schema', () => {
  for (const dialect of ['openai', 'anthropic'] as const) {
    it(`is accepted by the ${dialect} rules`, () => {
      const schema = agentAnswerSchema(TOOLS, { examples: 3, dialect, reasoning: true });
      expect(schemaViolations(schema, dialect)).toEqual([]);
      // main's agent schema (arguments a free string, tool_calls on every message) is accepted too, but carries no tool schema
    });
  }

  it('keeps minItems/maxItems for the count where allowed, and refuses too many unions for Anthropic', () => {
    const o = agentAnswerSchema(TOOLS, { examples: 3, dialect: 'openai' }) as { properties: { examples: Record<string, unknown> } };
    expect(o.properties.examples).toMatchObject({ minItems: 3, maxItems: 3 });
    const a = agentAnswerSchema(TOOLS, { examples: 3, dialect: 'anthropic' }) as { properties: { examples: Record<string, unknown> } };
    expect(a.properties.examples.maxItems).toBeUndefined();
    const many = Array.from({ length: 20 }, (_, i) => ({
      type: 'function' as const,
      function: { name: `t${i}`, parameters: { type: 'object', properties: { v: { type: ['string', 'number'] } }, required: ['v'] } },
    }));
    expect(() => agentAnswerSchema(many, { examples: 1, dialect: 'anthropic' })).toThrow(AgentSchemaError);
  });

  const providers: Record<Exclude<SchemaDialect, 'generic'>, () => { generate(r: GenerateRequest): Promise<{ json?: unknown }> }> = {
    openai: () => new OpenAIProvider({ model: 'm', apiKey: 'sk-test', baseUrl: server.openaiBaseUrl, timeoutMs: 10_000 }),
    anthropic: () => new AnthropicProvider({ model: 'claude-test', apiKey: 'sk-ant-test', baseUrl: server.anthropicBaseUrl, timeoutMs: 10_000 }),
  };

  for (const dialect of ['openai', 'anthropic'] as const) {
    it(`gets ${dialect} answers that validate: 40 requests, exact counts, valid calls, every id answered once`, async () => {
      const provider = providers[dialect]();
      let calls = 0;
      let parallel = 0;
      let errors = 0;
      for (let r = 0; r < 40; r++) {
        const count = 1 + (r % 3);
        const turns = Array.from({ length: count }, (_, i) => 1 + ((r + i) % 3));
        const schema = agentAnswerSchema(TOOLS, { examples: count, dialect, reasoning: r % 2 === 0 });
        const lines = turns.map((t, i) => `Example ${i + 1}: ${t} user turns`);
        const { json } = await provider.generate({
          system: 'You write agent training examples. Answer in JSON.',
          messages: [{ role: 'user', content: `Return exactly ${count} examples.\n${lines.join('\n')}` }],
          schema,
          schemaName: 'examples',
          maxOutputTokens: 32_000,
        });
        const validate = ajv.compile(schema);
        expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
        const answer = json as Answer;
        expect(answer.examples).toHaveLength(count);
        answer.examples.forEach((e, i) => checkEpisode(e.messages, turns[i]!));
        for (const e of answer.examples) {
          for (const m of e.messages) {
            calls += m.tool_calls?.length ?? 0;
            if ((m.tool_calls?.length ?? 0) > 1) parallel++;
            if (m.role === 'tool' && m.content.includes('"error"')) errors++;
          }
        }
      }
      expect(calls).toBeGreaterThan(60);
      expect(parallel).toBeGreaterThan(3);
      expect(errors).toBeGreaterThan(3);
    });
  }

  it('100 single-turn and 100 multi-turn examples from the strict server all pass the agent check', async () => {
    const provider = providers.openai();
    const passed = { single: 0, multi: 0 };
    for (const [kind, turns] of [['single', 1], ['multi', 3]] as const) {
      for (let r = 0; r < 25; r++) {
        const schema = agentAnswerSchema(TOOLS, { examples: 4, dialect: 'openai' });
        const lines = [1, 2, 3, 4].map((i) => `Example ${i}: ${kind === 'single' ? 1 : 2 + ((r + i) % 2)} user turns`);
        const { json } = await provider.generate({
          system: 'Answer in JSON.',
          messages: [{ role: 'user', content: `Return exactly 4 examples, at most 5 tool steps each.\n${lines.join('\n')}` }],
          schema,
          schemaName: 'examples',
          maxOutputTokens: 64_000,
        });
        (json as { examples: Array<{ messages: GeneratedAgentMessage[] }> }).examples.forEach((e, i) => {
          const userTurns = kind === 'single' ? turns : 2 + ((r + i + 1) % 2);
          const check = checkAgentExample(e.messages, { tools: TOOLS, userTurns, maxSteps: 5 });
          expect(check, JSON.stringify(check)).toMatchObject({ ok: true });
          passed[kind]++;
        });
      }
    }
    expect(passed).toEqual({ single: 100, multi: 100 });
  });

  it('keeps the schema_invalid knob: the broken answer fails the schema', async () => {
    server.setKnobs({ schemaInvalidRate: 1 });
    try {
      const schema = agentAnswerSchema(TOOLS, { examples: 1, dialect: 'openai' });
      const { json } = await providers.openai().generate({
        system: 'Answer in JSON.',
        messages: [{ role: 'user', content: 'Return exactly 1 examples.' }],
        schema,
        schemaName: 'examples',
        maxOutputTokens: 32_000,
      });
      expect(ajv.compile(schema)(json)).toBe(false);
    } finally {
      server.setKnobs({ schemaInvalidRate: 0 });
    }
  });
});
