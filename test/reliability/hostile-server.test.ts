/** Issue 15 (1, 2, 11): a server that lies about usage, never ends its body, sends a gzip bomb or non-JSON. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkUsage } from '../../src/core/usage.js';
import { AnthropicProvider } from '../../src/providers/anthropic.js';
import { bodyCapFor } from '../../src/providers/fetch.js';
import { OpenAIProvider } from '../../src/providers/openai.js';
import { ProviderError, type Provider } from '../../src/providers/types.js';
import { DEFAULT_KNOBS, type Knobs } from '../server/knobs.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { examplesRequest } from '../server/fixtures.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => server.setKnobs({ ...DEFAULT_KNOBS }));

const providers: Array<[string, () => Provider]> = [
  ['openai', () => new OpenAIProvider({ model: 'gpt-4.1-mini', apiKey: 'sk-test', baseUrl: server.openaiBaseUrl, timeoutMs: 20_000 })],
  ['anthropic', () => new AnthropicProvider({ model: 'claude-haiku-4-5', apiKey: 'sk-ant-test', baseUrl: server.anthropicBaseUrl, timeoutMs: 20_000 })],
];

async function failure(p: Provider): Promise<ProviderError> {
  const err = await p.generate(examplesRequest(1)).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('checkUsage', () => {
  it('accepts non-negative whole numbers and nothing else', () => {
    expect(checkUsage({ input_tokens: 0, output_tokens: 12 })).toEqual({ usage: { input_tokens: 0, output_tokens: 12 }, valid: true });
    for (const bad of ['12', -1, Number.NaN, Number.POSITIVE_INFINITY, 1.5, undefined, null, true, {}]) {
      const checked = checkUsage({ input_tokens: 5, output_tokens: bad });
      expect(checked.valid, String(bad)).toBe(false);
      expect(checked.usage).toEqual({ input_tokens: 5, output_tokens: 0 });
      expect(checked.problem).toMatch(/^output_tokens: /);
    }
    for (const bad of [null, undefined, 'x', 3, []]) expect(checkUsage(bad).valid).toBe(false);
  });
});

describe.each(providers)('%s provider against hostile usage figures', (_name, make) => {
  it.each(['negative', 'string', 'nan', 'infinity', 'float', 'missing'] as Array<Knobs['badUsage']>)('%s usage is flagged and never NaN or text', async (kind) => {
    server.setKnobs({ badUsage: kind });
    const result = await make().generate(examplesRequest(1));
    expect(result.usageInvalid).toBeTruthy();
    for (const n of [result.usage.input_tokens, result.usage.output_tokens]) {
      expect(typeof n).toBe('number');
      expect(Number.isInteger(n) && n >= 0).toBe(true);
    }
  });

  it('good usage is not flagged', async () => {
    const result = await make().generate(examplesRequest(1));
    expect(result.usageInvalid).toBeUndefined();
    expect(result.usage.output_tokens).toBeGreaterThan(0);
  });
});

describe.each(providers)('%s provider against hostile bodies', (_name, make) => {
  it('an endless 200 body ends as a `server` failure at the cap, memory bounded', async () => {
    server.setKnobs({ endlessBody: true });
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const err = await failure(make());
    expect(err.kind).toBe('server');
    expect(err.message).toMatch(/over \d+ bytes/);
    expect(Date.now() - started).toBeLessThan(15_000);
    // The cap for a 4000-token answer is ~1.3 MB: nowhere near the gigabytes an uncapped read reaches.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect(bodyCapFor(4000)).toBeLessThan(2 * 1024 * 1024);
  });

  it('a gzip bomb is stopped by its decompressed size', async () => {
    server.setKnobs({ gzipBombMiB: 64 });
    const err = await failure(make());
    expect(err.kind).toBe('server');
    expect(err.message).toMatch(/once decompressed/);
  });

  it('a 200 whose body is not JSON is `parse`, not `network`', async () => {
    server.setKnobs({ invalidJsonBody: true });
    const err = await failure(make());
    expect(err.kind).toBe('parse');
    expect(err.message).not.toMatch(/connection failed/);
  });
});
