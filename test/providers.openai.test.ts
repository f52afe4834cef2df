import { describe, expect, it } from 'vitest';
import { OpenAIProvider } from '../src/providers/openai.js';
import { examplesRequest, topicsRequest } from './server/fixtures.js';
import { providerSuite } from './provider-suite.js';
import { startTestServer } from './server/index.js';

const CANARY = 'sk-canary-XYZ123';
const suite = providerSuite({ seed: 7, apiKey: CANARY });
const { failure } = suite;

function provider(opts: Partial<ConstructorParameters<typeof OpenAIProvider>[0]> = {}) {
  return new OpenAIProvider({ model: 'gpt-4.1-mini', apiKey: CANARY, baseUrl: suite.server.openaiBaseUrl, timeoutMs: 5000, ...opts });
}

describe('OpenAIProvider against the loopback server', () => {
  it('asks for strict json_schema and returns the parsed answer with usage and rate limits', async () => {
    const result = await provider().generate(examplesRequest(2, [1, 2]));
    expect(result.finish).toBe('stop');
    const json = result.json as { examples: Array<{ messages: Array<{ role: string }> }> };
    expect(json.examples).toHaveLength(2);
    expect(json.examples[1]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(result.text).toBe(JSON.stringify(json));
    expect(result.usage.input_tokens).toBeGreaterThan(10);
    expect(result.usage.output_tokens).toBeGreaterThan(50);
    expect(result.model).toBe('gpt-4.1-mini');
    expect(result.rateLimit).toMatchObject({ limitRequests: 1_000_000, remainingRequests: 999_999, limitTokens: 1_000_000_000 });
    expect(result.rateLimit?.resetRequestsMs).toBeGreaterThan(0);

    const body = suite.server.stats().bodies[0]?.body as Record<string, any>;
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'examples', strict: true } });
    expect(body.response_format.json_schema.schema.required).toEqual(['examples']);
    expect(body.max_completion_tokens).toBe(4000);
    expect(body.messages[0]).toEqual({ role: 'system', content: examplesRequest().system });
    expect(suite.server.stats().bodies[0]?.headers.authorization).toBeUndefined();
  });

  it('sends max_tokens to OpenAI-compatible servers and needs no key there', async () => {
    const p = new OpenAIProvider({ name: 'openai-compatible', model: 'llama3', baseUrl: suite.server.openaiBaseUrl, timeoutMs: 5000 });
    const result = await p.generate(topicsRequest(3));
    expect((result.json as { topics: string[] }).topics).toHaveLength(3);
    const body = suite.server.stats().bodies[0]?.body as Record<string, unknown>;
    expect(body.max_tokens).toBe(1000);
    expect(body.max_completion_tokens).toBeUndefined();
  });

  it('falls back to json_object mode once when the server rejects json_schema, and stays there', async () => {
    suite.server.setKnobs({ rejectJsonSchema: true });
    const p = provider({ name: 'openai-compatible' });
    expect(p.mode).toBe('json_schema');
    const first = await p.generate(topicsRequest(5));
    expect(p.mode).toBe('json_object');
    expect((first.json as { topics: string[] }).topics).toHaveLength(5);
    await p.generate(topicsRequest(2));
    const bodies = suite.server.stats().bodies.map((b) => b.body as Record<string, any>);
    expect(bodies.map((b) => b.response_format.type)).toEqual(['json_schema', 'json_object', 'json_object']);
    expect(bodies[1]?.messages[0].content).toContain('"topics"');
    expect(suite.server.stats().byStatus).toEqual({ '200': 2, '400': 1 });
  });

  it('does not mistake a schema the server calls invalid for missing json_schema support', async () => {
    const request = topicsRequest(2);
    request.schema = { type: 'object', properties: { topics: { type: 'array', items: { type: 'string' } } } };
    const p = provider();
    const err = await failure(p.generate(request));
    expect(err.kind).toBe('server');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/additionalProperties/);
    expect(p.mode).toBe('json_schema');
  });

  it('reports a truncated answer as finish length without json', async () => {
    suite.server.setKnobs({ truncatedRate: 1 });
    const result = await provider().generate(examplesRequest(1));
    expect(result.finish).toBe('length');
    expect(result.json).toBeUndefined();
    expect(() => JSON.parse(result.text)).toThrow();
  });

  it('reports a refusal with its text', async () => {
    suite.server.setKnobs({ refusalRate: 1 });
    const result = await provider().generate(examplesRequest(1));
    expect(result.finish).toBe('refusal');
    expect(result.refusal).toMatch(/can't help/);
    expect(result.json).toBeUndefined();
  });

  it('keeps malformed text but leaves json undefined; schema-invalid JSON still parses', async () => {
    suite.server.setKnobs({ malformedRate: 1 });
    const malformed = await provider().generate(examplesRequest(1));
    expect(malformed.finish).toBe('stop');
    expect(malformed.json).toBeUndefined();
    expect(malformed.text).toMatch(/^Sure!/);
    suite.server.setKnobs({ malformedRate: 0, schemaInvalidRate: 1 });
    const invalid = await provider().generate(examplesRequest(1));
    const json = invalid.json as { examples: Array<{ messages: Array<{ role: string }> }> };
    expect(json.examples[0]?.messages[0]?.role).toBe('narrator');
  });

  it('maps a 429 to rate_limit with the wait from retry-after-ms', async () => {
    suite.server.setKnobs({ rateLimit429Rate: 1, retryAfterS: 3 });
    const err = await failure(provider().generate(topicsRequest()));
    expect(err.kind).toBe('rate_limit');
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(3000);
  });

  it('maps insufficient_quota to quota, not rate_limit', async () => {
    suite.server.setKnobs({ quota: true });
    const err = await failure(provider().generate(topicsRequest()));
    expect(err.kind).toBe('quota');
  });

  it('maps 5xx and 503 overload to server', async () => {
    suite.server.setKnobs({ serverErrorRate: 1 });
    const err = await failure(provider().generate(topicsRequest()));
    expect(err.kind).toBe('server');
    expect([500, 502, 503]).toContain(err.status);
    suite.server.setKnobs({ serverErrorRate: 0, overloadedRate: 1 });
    const overloaded = await failure(provider().generate(topicsRequest()));
    expect(overloaded).toMatchObject({ kind: 'server', status: 503 });
  });

  it('maps 401 to auth and never repeats the key the server echoed', async () => {
    suite.server.setKnobs({ auth: 'invalid' });
    const err = await failure(provider().generate(topicsRequest()));
    expect(err.kind).toBe('auth');
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/Incorrect API key provided/);
    expect(String(err.cause ?? '')).not.toContain(CANARY);
  });

  it('reports a request the server never answers as timeout', async () => {
    suite.server.setKnobs({ timeoutRate: 1 });
    const err = await failure(provider({ timeoutMs: 300 }).generate(topicsRequest()));
    expect(err.kind).toBe('timeout');
  });

  it('reports a dropped connection as network', async () => {
    suite.server.setKnobs({ dropRate: 1 });
    const err = await failure(provider().generate(topicsRequest()));
    expect(err.kind).toBe('network');
    expect(suite.server.stats().faults.drop).toBe(1);
  });

  it('makes exactly one HTTP request per call (SDK retries are off)', async () => {
    suite.server.setKnobs({ serverErrorRate: 1 });
    await failure(provider().generate(topicsRequest()));
    expect(suite.server.stats().requests).toBe(1);
  });

  it('reports a connection refused as network', async () => {
    const closed = await startTestServer();
    const url = closed.openaiBaseUrl;
    await closed.close();
    const err = await failure(provider({ baseUrl: url }).generate(topicsRequest()));
    expect(err.kind).toBe('network');
  });
});

describe('OpenAI-compatible error bodies', () => {
  it("reads older vLLM's unwrapped {object: 'error'} body", async () => {
    const fetchVllm: typeof fetch = async () =>
      new Response(JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', code: 400 }), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    const p = new OpenAIProvider({ name: 'openai-compatible', model: 'm', baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 1000, fetch: fetchVllm });
    const err = await failure(p.generate(topicsRequest()));
    expect(err.kind).toBe('truncated');
    expect(err.message).toContain('maximum context length is 4096');
  });

  it('reads the wait from "try again in 18.642s" when no header carries it', async () => {
    const fetch429: typeof fetch = async () =>
      new Response(JSON.stringify({ error: { message: 'Rate limit reached for gpt-4.1-mini. Please try again in 18.642s.', type: 'tokens', param: null, code: 'rate_limit_exceeded' } }), {
        status: 429,
        headers: { 'content-type': 'application/json' },
      });
    const p = new OpenAIProvider({ model: 'm', apiKey: CANARY, baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 1000, fetch: fetch429 });
    const err = await failure(p.generate(topicsRequest()));
    expect(err).toMatchObject({ kind: 'rate_limit', retryAfterMs: 18642 });
  });
});
