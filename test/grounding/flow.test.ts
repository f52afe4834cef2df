/**
 * The grounded flow without the engine loop: a folder of Markdown, text and a PDF (written here), the
 * plan's chunks, one request per slot sent to the loopback server through the real OpenAI provider, and
 * a second preparation after a document is added that finds only the new chunks.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../src/core/config.js';
import { groundedRequestParts, groundingInputCost, prepareGrounding } from '../../src/core/grounding/index.js';
import { groundedAnswerSchema, GROUNDED_SCHEMA_NAME, sourceOf } from '../../src/core/grounding/prompt.js';
import { lookupPrice } from '../../src/core/prices.js';
import { OpenAIProvider } from '../../src/providers/openai.js';
import { providerSuite } from '../provider-suite.js';
import { makePdf } from '../fixtures/grounding/pdf.js';

const suite = providerSuite({ seed: 5, apiKey: 'sk-flow' });
let dir: string;
let config: Config;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synthloom-flow-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'returns.md'), '# Returns\n\nYou can return an item within 30 days of delivery.\n\n## Damaged items\n\nSend a photo of the damage first.\n');
  writeFileSync(join(dir, 'docs', 'shipping.txt'), 'Standard shipping takes 3 to 5 business days. Express shipping takes 1 day.');
  writeFileSync(join(dir, 'docs', 'warranty.pdf'), makePdf([['The warranty lasts 2 years from purchase.'], ['Repairs are free during the warranty.']]));
  writeFileSync(
    join(dir, 'examples.jsonl'),
    ['Can I pay by invoice?|Yes, for orders above 50 euros.', 'Do you ship abroad?|Only within the EU.', 'Is gift wrap free?|Yes, at checkout.']
      .map((l) => JSON.stringify({ instruction: l.split('|')[0], output: l.split('|')[1] }))
      .join('\n'),
  );
  config = validateConfig({
    name: 'grounded', task: 'customer support', domain: 'returns', size: 10,
    sources: [{ path: 'docs' }],
    grounding: { questions_per_chunk: 2, chunk_tokens: 100, overlap_tokens: 10 },
    examples: { path: 'examples.jsonl', k: 2 },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grounded flow', () => {
  it('plans chunks of every document, sends each slot its chunk and k examples, and keeps the source', async () => {
    const prep = await prepareGrounding(config, dir);
    expect(prep.documents.map((d) => d.name)).toEqual(['docs/returns.md', 'docs/shipping.txt', 'docs/warranty.pdf']);
    expect(prep.plan.figures).toMatchObject({ documents: 3, chunks: prep.chunks.length, slots: prep.chunks.length * 2 });
    expect(prep.chunks.map((c) => c.file)).toContain('docs/warranty.pdf');

    const provider = new OpenAIProvider({ model: 'gpt-4.1-mini', apiKey: 'sk-flow', baseUrl: suite.server.openaiBaseUrl, timeoutMs: 5000 });
    const sources: ReturnType<typeof sourceOf>[] = [];
    for (const slot of prep.plan.slots) {
      const parts = groundedRequestParts(config, prep, slot);
      const result = await provider.generate({
        system: parts.system,
        cachePrefix: parts.cachePrefix,
        messages: [{ role: 'user', content: parts.user }],
        schema: groundedAnswerSchema,
        schemaName: GROUNDED_SCHEMA_NAME,
        maxOutputTokens: 800,
      });
      expect(result.json).toMatchObject({ question: expect.any(String), answer: expect.any(String) });
      sources.push(sourceOf(prep.chunkById.get(slot.chunkId)!));
    }
    const bodies = suite.server.stats().bodies.map((b) => JSON.stringify(b.body));
    expect(bodies).toHaveLength(prep.plan.slots.length);
    prep.plan.slots.forEach((slot, i) => {
      const chunk = prep.chunkById.get(slot.chunkId)!;
      expect(bodies[i]).toContain(JSON.stringify(chunk.text).slice(1, -1));
      expect((bodies[i]!.match(/Example \d:/g) ?? []).length).toBe(2);
      expect(sources[i]).toEqual({ file: chunk.file, chunk_id: chunk.id, char_start: chunk.char_start, char_end: chunk.char_end });
    });

    const cost = groundingInputCost(prep, config, lookupPrice('gpt-4.1-mini'), 0);
    expect(cost.inputTokens).toBeGreaterThan(prep.plan.figures.chunkTokens * 2 - 1);
    expect(cost.cachedTokens).toBeGreaterThan(0);
    expect(cost.usd).toBeLessThan(cost.usdWithoutCache!);
  });

  it('after a document is added, the new preparation names only its chunks as new', async () => {
    const before = await prepareGrounding(config, dir);
    writeFileSync(join(dir, 'docs', 'gift-cards.md'), '# Gift cards\n\nGift cards never expire and can be used online.\n');
    const after = await prepareGrounding(config, dir, before.chunks.map((c) => c.id));
    expect(after.diff!.new.map((c) => c.file)).toEqual(['docs/gift-cards.md']);
    expect(after.diff!.removed).toEqual([]);
    const newIds = new Set(after.diff!.new.map((c) => c.id));
    const toGenerate = after.plan.slots.filter((s) => newIds.has(s.chunkId));
    expect(toGenerate).toHaveLength(2);
    const oldSlots = new Set(before.plan.slots.map((s) => s.id));
    expect(after.plan.slots.filter((s) => !oldSlots.has(s.id))).toEqual(toGenerate);
  });
});
