import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/core/config.js';
import { UsageError } from '../src/core/errors.js';
import { AnthropicProvider } from '../src/providers/anthropic.js';
import { detectProviders } from '../src/providers/detect.js';
import { createProvider } from '../src/providers/index.js';
import { OpenAIProvider } from '../src/providers/openai.js';
import { topicsRequest } from './server/fixtures.js';
import { startTestServer, type TestServer } from './server/index.js';

const config = (provider: Record<string, unknown>) =>
  validateConfig({ name: 'support', task: 'answer tickets', domain: 'billing', size: 10, provider });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ record: true });
});
afterAll(async () => {
  await server.close();
});

describe('createProvider', () => {
  it('refuses openai and anthropic without a key, naming the variable and the demo way out', () => {
    expect(() => createProvider(config({ name: 'openai' }).provider, {})).toThrow(UsageError);
    expect(() => createProvider(config({ name: 'openai' }).provider, {})).toThrow(/OPENAI_API_KEY is not set.*--provider demo/);
    expect(() => createProvider(config({ name: 'anthropic', model: 'claude-haiku-4-5' }).provider, { OPENAI_API_KEY: 'sk-x' })).toThrow(
      /ANTHROPIC_API_KEY is not set/,
    );
  });

  it('builds each provider from the config and the environment, base URL from config first', async () => {
    const openai = createProvider(config({ name: 'openai', base_url: server.openaiBaseUrl }).provider, {
      OPENAI_API_KEY: 'sk-test-1',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    expect(openai).toBeInstanceOf(OpenAIProvider);
    expect(openai.demo).toBe(false);
    await openai.generate(topicsRequest(2));

    const anthropic = createProvider(config({ name: 'anthropic', model: 'claude-haiku-4-5' }).provider, {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    });
    expect(anthropic).toBeInstanceOf(AnthropicProvider);
    await anthropic.generate(topicsRequest(2));
    expect(server.stats().byEndpoint).toEqual({ 'openai.chat.completions': 1, 'anthropic.messages': 1 });
  });

  it('lets openai-compatible run without a key but not without a URL', async () => {
    const local = createProvider(config({ name: 'openai-compatible', model: 'llama3.2' }).provider, { OPENAI_BASE_URL: server.openaiBaseUrl });
    expect(local.name).toBe('openai-compatible');
    const result = await local.generate(topicsRequest(3));
    expect((result.json as { topics: string[] }).topics).toHaveLength(3);
    expect(() => createProvider(config({ name: 'openai-compatible', model: 'llama3.2' }).provider, {})).toThrow(/base_url/);
  });
});

describe('detectProviders', () => {
  it('sees keys in the environment and an Ollama server', async () => {
    const found = await detectProviders({ OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: '' }, { ollamaUrl: server.url });
    expect(found).toEqual({
      openai: true,
      anthropic: false,
      ollama: { available: true, url: `${server.url}/v1`, models: ['test-model:latest'] },
    });
  });

  it('says unavailable, without throwing, when nothing listens', async () => {
    const gone = await startTestServer();
    const url = gone.url;
    await gone.close();
    const found = await detectProviders({}, { ollamaUrl: url, timeoutMs: 300 });
    expect(found.ollama).toEqual({ available: false, url: `${url}/v1`, models: [] });
  });
});
