import { describe, expect, it } from 'vitest';
import { AnthropicProvider, type AnthropicProviderOptions } from '../src/providers/anthropic.js';
import { examplesRequest, topicsRequest } from './server/fixtures.js';
import { providerSuite } from './provider-suite.js';

const CANARY = 'sk-ant-canary-XYZ123';
const suite = providerSuite({ seed: 11, apiKey: CANARY });
const { failure } = suite;

function provider(opts: Partial<AnthropicProviderOptions> = {}) {
  return new AnthropicProvider({ model: 'claude-haiku-4-5', apiKey: CANARY, baseUrl: suite.server.anthropicBaseUrl, timeoutMs: 5000, ...opts });
}

describe('AnthropicProvider against the loopback server', () => {
  it('asks through output_config with no sampling settings, and reads answer, usage and rate limits', async () => {
    const result = await provider().generate(examplesRequest(3, [], 'reasoning'));
    expect(result.finish).toBe('stop');
    const json = result.json as { examples: Array<{ reasoning: string; messages: unknown[] }> };
    expect(json.examples).toHaveLength(3);
    expect(json.examples[0]?.reasoning.length).toBeGreaterThan(50);
    expect(result.usage.output_tokens).toBeGreaterThan(50);
    expect(result.rateLimit).toMatchObject({ limitRequests: 1_000_000, remainingRequests: 999_999, limitTokens: 1_000_000_000 });

    const recorded = suite.server.stats().bodies[0];
    const body = recorded?.body as Record<string, any>;
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: examplesRequest(1, [], 'reasoning').schema } });
    for (const key of ['temperature', 'top_p', 'top_k', 'tools']) expect(body).not.toHaveProperty(key);
    expect(body.system[0]).toMatchObject({ type: 'text', cache_control: { type: 'ephemeral' } });
    expect(body.max_tokens).toBe(4000);
    expect(recorded?.headers['anthropic-version']).toBe('2026-10-21');
    expect(recorded?.headers['x-api-key']).toBeUndefined();
  });

  it('the server refuses temperature as the 2026-10-21 API does', async () => {
    const response = await fetch(`${suite.server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 10, temperature: 1, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('can ask through a forced tool instead', async () => {
    const p = provider({ structured: 'tool' });
    const result = await p.generate(topicsRequest(6));
    expect((result.json as { topics: string[] }).topics).toHaveLength(6);
    expect(result.finish).toBe('stop');
    const body = suite.server.stats().bodies[0]?.body as Record<string, any>;
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'topic_list' });
    expect(body.tools[0]).toMatchObject({ name: 'topic_list', input_schema: topicsRequest().schema });
    expect(body.output_config).toBeUndefined();
  });

  it('counts cache reads and writes into input tokens', async () => {
    const request = topicsRequest(2);
    request.system = `${'You plan datasets carefully. '.repeat(200)}Answer in JSON.`;
    const first = await provider().generate(request);
    const second = await provider().generate(request);
    const systemTokens = Math.ceil(request.system.length / 4);
    expect(first.usage.input_tokens).toBeGreaterThan(systemTokens);
    expect(second.usage.input_tokens).toBe(first.usage.input_tokens);
    expect(suite.server.stats().requests).toBe(2);
  });

  it('reports max_tokens as finish length and refusal as refusal', async () => {
    suite.server.setKnobs({ truncatedRate: 1 });
    const cut = await provider().generate(examplesRequest(1));
    expect(cut).toMatchObject({ finish: 'length', json: undefined });
    suite.server.setKnobs({ truncatedRate: 0, refusalRate: 1 });
    const refused = await provider().generate(examplesRequest(1));
    expect(refused.finish).toBe('refusal');
    expect(refused.refusal).toMatch(/can't help/);
  });

  it('leaves json undefined for prose', async () => {
    suite.server.setKnobs({ malformedRate: 1 });
    const result = await provider().generate(examplesRequest(1));
    expect(result.json).toBeUndefined();
    expect(result.text.length).toBeGreaterThan(20);
  });

  it('maps 429 to rate_limit with Retry-After, and 529 to server', async () => {
    suite.server.setKnobs({ rateLimit429Rate: 1, retryAfterS: 2 });
    const limited = await failure(provider().generate(topicsRequest()));
    expect(limited).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 2000 });
    suite.server.setKnobs({ rateLimit429Rate: 0, overloadedRate: 1 });
    const overloaded = await failure(provider().generate(topicsRequest()));
    expect(overloaded).toMatchObject({ kind: 'server', status: 529 });
    expect(overloaded.message).toMatch(/overloaded_error/);
    suite.server.setKnobs({ overloadedRate: 0, serverErrorRate: 1 });
    expect((await failure(provider().generate(topicsRequest()))).kind).toBe('server');
    expect(suite.server.stats().requests).toBe(3);
  });

  it('maps 401 to auth and 402 billing to quota, without the key', async () => {
    suite.server.setKnobs({ auth: 'invalid' });
    const auth = await failure(provider().generate(topicsRequest()));
    expect(auth).toMatchObject({ kind: 'auth', status: 401 });
    expect(auth.message).toMatch(/authentication_error/);
    suite.server.setKnobs({ auth: 'valid', quota: true });
    const quota = await failure(provider().generate(topicsRequest()));
    expect(quota).toMatchObject({ kind: 'quota', status: 402 });
  });

  it('reports timeouts and dropped connections', async () => {
    suite.server.setKnobs({ timeoutRate: 1 });
    expect((await failure(provider({ timeoutMs: 300 }).generate(topicsRequest()))).kind).toBe('timeout');
    suite.server.setKnobs({ timeoutRate: 0, dropRate: 1 });
    expect((await failure(provider().generate(topicsRequest()))).kind).toBe('network');
  });

  it('reports a caller abort by AbortSignal.timeout as timeout', async () => {
    suite.server.setKnobs({ timeoutRate: 1 });
    const request = { ...topicsRequest(), signal: AbortSignal.timeout(200) };
    expect((await failure(provider().generate(request))).kind).toBe('timeout');
  });
});
