/**
 * provider.temperature and provider.top_p: sent where the provider and model take them, refused with one
 * line naming the key where they do not, and part of the plan fingerprint.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { UsageError } from '../../src/core/errors.js';
import { computeFingerprint } from '../../src/core/plan.js';
import { topicRequest } from '../../src/core/requests.js';
import { OpenAIProvider } from '../../src/providers/openai.js';
import { startTestServer, type TestServer } from '../server/index.js';

const base = { name: 'x', task: 'support', domain: 'returns', size: 10 };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ record: true });
});
afterAll(() => server.close());

describe('sampling settings', () => {
  test('Anthropic refuses them with one line naming the key', () => {
    expect(() => validateConfig({ ...base, provider: { name: 'anthropic', model: 'claude-haiku-4-5', temperature: 0.7 } })).toThrow(UsageError);
    expect(() => validateConfig({ ...base, provider: { name: 'anthropic', model: 'claude-haiku-4-5', top_p: 0.9 } })).toThrow(/provider\.top_p: Anthropic's current API rejects temperature and top_p/);
  });

  test('OpenAI reasoning models refuse them; chat models and compatible servers take them', () => {
    expect(() => validateConfig({ ...base, provider: { name: 'openai', model: 'gpt-5-mini', temperature: 1.2 } })).toThrow(/provider\.temperature: the OpenAI reasoning model "gpt-5-mini"/);
    expect(() => validateConfig({ ...base, provider: { name: 'openai', model: 'o4-mini', temperature: 1 } })).toThrow(UsageError);
    expect(validateConfig({ ...base, provider: { name: 'openai', model: 'gpt-4.1-mini', temperature: 1.1, top_p: 0.95 } }).provider).toMatchObject({ temperature: 1.1, top_p: 0.95 });
    expect(validateConfig({ ...base, provider: { name: 'openai-compatible', model: 'llama3.1', temperature: 0.2 } }).provider.temperature).toBe(0.2);
    expect(() => validateConfig({ ...base, provider: { temperature: 3 } })).toThrow(/provider\.temperature/);
  });

  test('they are part of the fingerprint only when set (older plans keep theirs)', () => {
    const plain = validateConfig(base);
    const warm = validateConfig({ ...base, provider: { temperature: 0.9 } });
    expect(computeFingerprint(plain).inputs).not.toHaveProperty('temperature');
    expect(computeFingerprint(warm).fingerprint).not.toBe(computeFingerprint(plain).fingerprint);
    expect(computeFingerprint(warm).inputs.temperature).toBe(0.9);
  });

  test('the OpenAI provider sends them on the wire when set, and nothing when not', async () => {
    const provider = new OpenAIProvider({ model: 'gpt-4.1-mini', apiKey: 'sk-test', baseUrl: server.openaiBaseUrl, timeoutMs: 5000 });
    const warm = validateConfig({ ...base, provider: { temperature: 0.9, top_p: 0.5 } });
    await provider.generate(topicRequest(warm, [], []).request);
    await provider.generate(topicRequest(validateConfig(base), [], []).request);
    const bodies = server.stats().bodies.map((b) => b.body as Record<string, unknown>);
    expect(bodies[0]).toMatchObject({ temperature: 0.9, top_p: 0.5 });
    expect(bodies[1]).not.toHaveProperty('temperature');
    expect(bodies[1]).not.toHaveProperty('top_p');
  });
});
