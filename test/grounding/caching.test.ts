import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { costOf, lookupPrice, priceFor, type Price } from '../../src/core/prices.js';
import type { Usage } from '../../src/core/types.js';
import { AnthropicProvider } from '../../src/providers/anthropic.js';
import { OpenAIProvider } from '../../src/providers/openai.js';
import type { GenerateRequest } from '../../src/providers/types.js';
import { providerSuite } from '../provider-suite.js';
import { examplesRequest } from '../server/fixtures.js';

const KEY = 'sk-cache-canary-1';
const suite = providerSuite({ seed: 21, apiKey: KEY });
const openai = () => new OpenAIProvider({ model: 'gpt-4.1-mini', apiKey: KEY, baseUrl: suite.server.openaiBaseUrl, timeoutMs: 5000 });
const anthropic = () => new AnthropicProvider({ model: 'claude-haiku-4-5', apiKey: KEY, baseUrl: suite.server.anthropicBaseUrl, timeoutMs: 5000 });

/** A grounded-style request: a long shared passage as cachePrefix, the question part after it. */
function withPrefix(question: number): GenerateRequest {
  const request = examplesRequest(1);
  request.cachePrefix = `Passage:\n${'The refund window is 30 days from delivery, and shipping is free for faulty items. '.repeat(80)}`;
  request.messages = [{ role: 'user', content: `Question ${question}: Return exactly 1 examples.` }];
  return request;
}

/** The test's own arithmetic, from the server's counts. */
function expectedUsd(counts: { input: number; cacheRead: number; cacheWrite: number; output: number }, price: Price): number {
  return (counts.input * price.input + counts.cacheRead * price.cachedInput! + counts.cacheWrite * price.cacheWrite! + counts.output * price.output) / 1e6;
}

describe('prompt caching', () => {
  it('Anthropic: the prefix is its own block marked cache_control; reads and writes come back in Usage', async () => {
    const p = anthropic();
    const first = await p.generate(withPrefix(1));
    const second = await p.generate(withPrefix(2));
    const body = suite.server.stats().bodies[0]?.body as { messages: Array<{ content: Array<Record<string, unknown>> }> };
    expect(body.messages[0]?.content[0]).toMatchObject({ type: 'text', cache_control: { type: 'ephemeral' } });
    expect(String(body.messages[0]?.content[0]?.text)).toMatch(/^Passage:/);
    expect(body.messages[0]?.content[1]).toEqual({ type: 'text', text: 'Question 1: Return exactly 1 examples.' });
    expect(first.usage.cache_write_tokens).toBeGreaterThan(1024);
    expect(first.usage.cached_input_tokens).toBeUndefined();
    expect(second.usage.cached_input_tokens).toBe(first.usage.cache_write_tokens);
    expect(second.usage.input_tokens).toBeGreaterThan(second.usage.cached_input_tokens!);
  });

  it('OpenAI: the prefix opens the first user message; cached_tokens comes back as cached_input_tokens', async () => {
    suite.server.setKnobs({ cachedInputTokens: 700 });
    const result = await openai().generate(withPrefix(1));
    const body = suite.server.stats().bodies[0]?.body as { messages: Array<{ role: string; content: string }> };
    expect(body.messages[1]?.content).toMatch(/^Passage:\n[\s\S]*\n\nQuestion 1: Return exactly 1 examples\.$/);
    expect(result.usage.cached_input_tokens).toBe(700);
    expect(result.usage.cache_write_tokens).toBeUndefined();
    expect(result.usage.input_tokens).toBeGreaterThan(700);
  });

  it('a request without cachePrefix and no cache use has the Usage it always had', async () => {
    const result = await openai().generate(examplesRequest(1));
    expect(Object.keys(result.usage).sort()).toEqual(['input_tokens', 'output_tokens']);
  });

  it('cost from Usage equals the server counts at cached and uncached prices within 0.5%', async () => {
    for (const [provider, model] of [
      [anthropic, 'claude-haiku-4-5'],
      [openai, 'gpt-4.1-mini'],
    ] as const) {
      suite.server.resetStats();
      suite.server.setKnobs({ cachedInputTokens: provider === openai ? 900 : 0 });
      const price = lookupPrice(model)!;
      let ledger = 0;
      for (let q = 0; q < 6; q++) ledger += costOf((await provider().generate(withPrefix(q))).usage, price)!;
      const counts = suite.server.stats().usage;
      expect(counts.cacheRead).toBeGreaterThan(0);
      const expected = expectedUsd({ ...counts, cacheWrite: counts.cacheWrite }, { ...price, cacheWrite: price.cacheWrite ?? price.input });
      expect(Math.abs(ledger - expected) / expected).toBeLessThan(0.005);
      // And caching made a difference: all input at the full rate would cost more.
      const uncached = ((counts.input + counts.cacheRead + counts.cacheWrite) * price.input + counts.output * price.output) / 1e6;
      expect(ledger).toBeLessThan(uncached);
    }
  });

  it('prices: published cached rates per family, Anthropic 0.1x read and 1.25x write, batch halves them, overrides', () => {
    expect(lookupPrice('gpt-4o')).toMatchObject({ input: 2.5, cachedInput: 1.25 });
    expect(lookupPrice('gpt-4.1-mini-2025-04-14')).toMatchObject({ input: 0.4, cachedInput: 0.1 });
    expect(lookupPrice('gpt-5')).toMatchObject({ input: 1.25, cachedInput: 0.125 });
    for (const model of ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-8']) {
      const p = lookupPrice(model)!;
      expect(p.cachedInput).toBeCloseTo(p.input * 0.1, 10);
      expect(p.cacheWrite).toBeCloseTo(p.input * 1.25, 10);
    }
    const base = { name: 't', task: 't', domain: 'd', size: 1 };
    const batch = priceFor(validateConfig({ ...base, provider: { name: 'anthropic', model: 'claude-haiku-4-5', mode: 'batch' } }), 'batch')!;
    expect(batch).toMatchObject({ input: 0.5, cachedInput: 0.05, cacheWrite: 0.625 });
    const override = priceFor(validateConfig({ ...base, provider: { model: 'my-model', price: { input: 1, output: 2, cached_input: 0.25 } } }))!;
    const usage: Usage = { input_tokens: 1_000_000, output_tokens: 0, cached_input_tokens: 400_000, cache_write_tokens: 100_000 };
    expect(costOf(usage, override)).toBeCloseTo(0.5 + 0.1 + 0.1, 10);
    expect(costOf({ input: 1_000_000, output: 1_000_000 }, override)).toBe(3);
  });
});
