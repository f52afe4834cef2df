import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { checkGrounding } from '../../src/core/grounding/check.js';
import { groundedAlpacaFields, groundedMessages, groundedPrompt, sourceOf } from '../../src/core/grounding/prompt.js';
import { planGroundedSlots } from '../../src/core/grounding/slots.js';
import { chunkDocuments, type Chunk } from '../../src/core/sources/chunk.js';
import type { Document } from '../../src/core/sources/load.js';

const config = (grounding: Record<string, unknown> = {}) =>
  validateConfig({ name: 't', task: 'support answers', domain: 'returns', size: 10, grounding, system_prompt: 'You are the shop assistant.' });
const docs = (n: number, sections: number): Document[] =>
  Array.from({ length: n }, (_, d) => ({
    name: `doc${d}.md`,
    path: `/x/doc${d}.md`,
    format: 'markdown' as const,
    text: Array.from({ length: sections }, (_, s) => `# Part ${s}\n\nDocument ${d} part ${s} says the fee is ${d * 10 + s} euros.`).join('\n\n'),
  }));
const chunksOf = (documents: Document[]): Chunk[] => chunkDocuments(documents, { chunkTokens: 200, overlapTokens: 0 }).chunks;

describe('grounded slot planning', () => {
  it('questions_per_chunk slots per chunk, ids from chunk, strategy and index, the figures of the plan', () => {
    const chunks = chunksOf(docs(3, 4));
    const c = config({ questions_per_chunk: 3, strategies: [{ name: 'factual', weight: 2 }, { name: 'multi_hop', weight: 1 }] });
    const { slots, figures } = planGroundedSlots(chunks, c.grounding);
    expect(slots).toHaveLength(36);
    expect(new Set(slots.map((s) => s.id)).size).toBe(36);
    for (const s of slots) expect(s.id).toMatch(new RegExp(`^${s.chunkId}:${s.strategy}:\\d+$`));
    for (const s of slots.filter((x) => x.strategy === 'multi_hop')) {
      const a = chunks.find((ch) => ch.id === s.chunkId)!;
      const b = chunks.find((ch) => ch.id === s.pairedChunkId)!;
      expect(b.file).toBe(a.file);
      expect(b.id).not.toBe(a.id);
    }
    expect(figures).toMatchObject({ documents: 3, chunks: 12, slots: 36 });
    expect((figures.byStrategy.factual ?? 0) + (figures.byStrategy.multi_hop ?? 0)).toBe(36);
    expect(figures.byStrategy.factual).toBeGreaterThan(figures.byStrategy.multi_hop ?? 0);
    const perChunk = chunks.reduce((n, ch) => n + ch.tokens, 0);
    expect(figures.chunkTokens).toBe(perChunk);
    expect(figures.inputTokensAdded).toBeGreaterThanOrEqual(perChunk * 3);
    expect(figures.tokensPerChunk.min).toBeLessThanOrEqual(figures.tokensPerChunk.mean);
  });

  it('strategy shares follow the weights over many chunks', () => {
    const chunks = chunksOf(docs(50, 20));
    const c = config({ questions_per_chunk: 2, strategies: [{ name: 'factual', weight: 3 }, { name: 'analytical', weight: 1 }] });
    const { figures } = planGroundedSlots(chunks, c.grounding);
    expect((figures.byStrategy.factual ?? 0) / figures.slots).toBeGreaterThan(0.7);
    expect((figures.byStrategy.factual ?? 0) / figures.slots).toBeLessThan(0.8);
  });

  it('adding a document leaves every other slot id as it was', () => {
    const c = config({ questions_per_chunk: 2 });
    const before = planGroundedSlots(chunksOf(docs(3, 3)), c.grounding).slots.map((s) => s.id);
    const after = planGroundedSlots(chunksOf(docs(4, 3)), c.grounding).slots.map((s) => s.id);
    expect(after.filter((id) => !before.includes(id))).toHaveLength(6);
    expect(before.every((id) => after.includes(id))).toBe(true);
  });

  it('a one-chunk document gets no multi_hop question', () => {
    const c = config({ questions_per_chunk: 4, strategies: [{ name: 'multi_hop', weight: 1 }] });
    const { slots } = planGroundedSlots(chunksOf(docs(1, 1)), c.grounding);
    expect(slots.map((s) => s.strategy)).toEqual(['factual', 'factual', 'factual', 'factual']);
  });
});

describe('grounded prompt parts and rows', () => {
  const chunks = chunksOf(docs(1, 2));
  const c = config({ questions_per_chunk: 2 });
  const { slots } = planGroundedSlots(chunks, c.grounding);

  it('static part first: the questions of one chunk share system and cache prefix, and the prefix holds the chunk', () => {
    const [a, b] = slots.filter((s) => s.chunkId === chunks[0]!.id).map((slot) => groundedPrompt({ config: c, slot, chunk: chunks[0]!, examples: [{ messages: [{ role: 'user', content: 'Q?' }, { role: 'assistant', content: 'A.' }] }] }));
    expect(a!.system).toBe(b!.system);
    expect(a!.cachePrefix).toBe(b!.cachePrefix);
    expect(a!.user).not.toBe(b!.user);
    expect(a!.cachePrefix).toContain(chunks[0]!.text);
    expect(a!.cachePrefix.indexOf('Example 1')).toBeLessThan(a!.cachePrefix.indexOf(chunks[0]!.text));
    expect(a!.system).not.toContain(chunks[0]!.text);
  });

  it('row layouts: none, system, user (Context/Question), and alpaca input', () => {
    const qa = { question: 'What is the fee?', answer: 'It is 0 euros.' };
    const chunk = chunks[0]!;
    expect(groundedMessages(qa, [chunk], 'none', 'Sys')).toEqual([
      { role: 'system', content: 'Sys' },
      { role: 'user', content: qa.question },
      { role: 'assistant', content: qa.answer },
    ]);
    expect(groundedMessages(qa, [chunk], 'system', 'Sys')[0]).toEqual({ role: 'system', content: `Sys\n\nContext:\n${chunk.text}` });
    const user = groundedMessages(qa, [chunk], 'user', null);
    expect(user[0]).toEqual({ role: 'user', content: `Context: ${chunk.text}\n\nQuestion: ${qa.question}` });
    expect(groundedAlpacaFields(user[0]!.content)).toEqual({ instruction: 'Answer the question using only the context.', input: user[0]!.content });
    expect(groundedAlpacaFields(qa.question)).toBeNull();
    expect(sourceOf(chunk)).toEqual({ file: 'doc0.md', chunk_id: chunk.id, char_start: chunk.char_start, char_end: chunk.char_end });
  });
});

describe('lexical grounding check', () => {
  const passage = 'Refunds are paid within 14 days. Items must be “in their original packaging”. The fee is €4.50 for orders under 1,000 euros.';
  it('accepts quotes and numbers that are in the passage, normalised', () => {
    expect(checkGrounding({ answer: 'You get the money within 14 days; the item must be "in their original   packaging." The fee is 4.5 euros below 1000 euros.' }, passage)).toEqual({ ok: true });
    expect(checkGrounding({ answer: '1. Pack it.\n2. Send it.', evidence: ['Refunds are paid within 14 days.'] }, passage)).toEqual({ ok: true });
  });
  it('filters an invented number, an invented quote, or evidence not in the passage', () => {
    expect(checkGrounding({ answer: 'Refunds take 30 days.' }, passage)).toEqual({ ok: false, kind: 'filtered', message: 'not grounded: the number 30 is not in the passage' });
    expect(checkGrounding({ answer: 'The policy says "refunds are instant".' }, passage)).toMatchObject({ ok: false, message: /the quote "refunds are instant" is not in the passage/ });
    expect(checkGrounding({ answer: 'Yes.', evidence: ['Refunds are paid at once.'] }, passage)).toMatchObject({ ok: false, kind: 'filtered' });
  });
  it('a number the question gives is not a claim of the answer', () => {
    expect(checkGrounding({ question: 'Can I return it after 60 days?', answer: 'No, 60 days is past the 14 days allowed.' }, passage)).toEqual({ ok: true });
  });
});
