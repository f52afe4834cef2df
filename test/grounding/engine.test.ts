/**
 * Grounded generation through the engine (issue 12 acceptance): a folder of Markdown, text and a PDF, a
 * run against the loopback server through the real OpenAI provider; the plan lists the chunks, every
 * sample's prompt held its chunk and its `source` points at it; a resume after a document is added asks
 * only for the new chunks. Few-shot: every prompt carries k examples; a sample equal to an example is a
 * duplicate. Cached input tokens are priced at the cached rate in the session's cost.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateConfig, type Config } from '../../src/core/config.js';
import { exampleGuardStage } from '../../src/core/grounding/runtime.js';
import { ExampleGuard } from '../../src/core/examples/fewshot.js';
import type { Plan } from '../../src/core/plan.js';
import { lookupPrice } from '../../src/core/prices.js';
import { createRun } from '../../src/core/run.js';
import type { Sample } from '../../src/core/types.js';
import { providerFactory } from '../../src/providers/index.js';
import { makePdf } from '../fixtures/grounding/pdf.js';
import { providerSuite } from '../provider-suite.js';
import { cliEnv } from '../sessions/helpers.js';

const suite = providerSuite({ seed: 12, apiKey: 'dummy' });
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-ground-engine-'));
});
afterAll(() => { if (!process.env.KEEP) rmSync(root, { recursive: true, force: true }); });

function lines<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

function setup(name: string, extra: Record<string, unknown> = {}): { dir: string; config: Config } {
  const dir = join(root, name);
  mkdirSync(join(dir, 'docs'), { recursive: true });
  writeFileSync(join(dir, 'docs', 'returns.md'), '# Returns\n\nYou can return an item within 30 days of delivery.\n\n## Damaged items\n\nSend a photo of the damage first.\n');
  writeFileSync(join(dir, 'docs', 'shipping.txt'), 'Standard shipping takes 3 to 5 business days. Express shipping takes 1 day.');
  writeFileSync(join(dir, 'docs', 'warranty.pdf'), makePdf([['The warranty lasts 2 years from purchase.'], ['Repairs are free during the warranty.']]));
  writeFileSync(
    join(dir, 'examples.jsonl'),
    ['Can I pay by invoice?|Yes, for orders above 50 euros.', 'Do you ship abroad?|Only within the EU.', 'Is gift wrap free?|Yes, at checkout.']
      .map((l) => JSON.stringify({ instruction: l.split('|')[0], output: l.split('|')[1] }))
      .join('\n'),
  );
  const config = validateConfig({
    name, task: 'customer support', domain: 'returns', size: 1, output_dir: join(dir, 'out'),
    provider: { name: 'openai', model: 'gpt-4.1-mini', concurrency: 2, base_url: suite.server.openaiBaseUrl },
    sources: [{ path: 'docs' }],
    grounding: { questions_per_chunk: 2, chunk_tokens: 100, overlap_tokens: 10 },
    examples: { path: 'examples.jsonl', k: 2 },
    ...extra,
  });
  return { dir, config };
}

const providers = providerFactory(cliEnv('http://127.0.0.1:1'));

describe('grounded runs through the engine', () => {
  it('plans the chunks, sends each its passage and k examples, keeps the source, and a resume asks only for new chunks', async () => {
    const { dir, config } = setup('g1');
    const run = createRun({ config, providers, baseDir: dir });
    const result = await run.start();
    expect(result.reason).toBeUndefined();
    expect(result.exitCode).toBe(0);
    const plan = parseYaml(readFileSync(join(run.dir, 'plan.yaml'), 'utf8')) as Plan;
    const chunkIds = plan.grounding!.chunkIds;
    expect(plan.grounding!.figures.documents).toBe(3);
    expect(chunkIds.length).toBeGreaterThanOrEqual(3);
    expect(result.done).toBe(chunkIds.length * 2);
    expect(plan.estimate.calls.samples).toBe(chunkIds.length * 2);

    const samples = lines<Sample>(join(run.dir, 'samples.jsonl'));
    expect(samples).toHaveLength(chunkIds.length * 2);
    const bodies = suite.server.stats().bodies.map((b) => JSON.stringify(b.body));
    expect(bodies).toHaveLength(samples.length);
    const pdfText = 'The warranty lasts 2 years from purchase.';
    for (const s of samples) {
      expect(chunkIds).toContain(s.source!.chunk_id);
      expect(s.slot.startsWith(`${s.source!.chunk_id}:`)).toBe(true);
      const user = s.messages.find((m) => m.role === 'user')!.content;
      expect(user).toMatch(/^Context: [\s\S]+\n\nQuestion: /);
      const passage = user.slice('Context: '.length, user.indexOf('\n\nQuestion: '));
      // The prompt of this slot held the passage, and k = 2 examples.
      const body = bodies.find((b) => b.includes(JSON.stringify(passage).slice(1, -1)) && b.includes(JSON.stringify(s.slot.split(':')[1]).slice(1, -1)));
      expect(body).toBeDefined();
      expect((body!.match(/Example \d:/g) ?? []).length).toBe(2);
    }
    expect(samples.some((s) => s.source!.file === 'docs/warranty.pdf' && s.messages.some((m) => m.content.includes(pdfText)))).toBe(true);

    // The run exported: one chunk's samples are all in one split.
    const rows = ['train', 'validation', 'test'].flatMap((split) => {
      const path = join(run.dir, 'dataset', `${split}.jsonl`);
      return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => ({ split, line })) : [];
    });
    const splitsOfChunk = new Map<string, Set<string>>();
    for (const s of samples) {
      const question = s.messages.find((m) => m.role === 'user')!.content.split('\n\nQuestion: ')[1]!;
      const row = rows.find((r) => r.line.includes(JSON.stringify(question).slice(1, -1)));
      expect(row).toBeDefined();
      const set = splitsOfChunk.get(s.source!.chunk_id) ?? new Set<string>();
      set.add(row!.split);
      splitsOfChunk.set(s.source!.chunk_id, set);
    }
    for (const set of splitsOfChunk.values()) expect(set.size).toBe(1);

    // A new document: the resume generates for its chunks only.
    writeFileSync(join(dir, 'docs', 'gift-cards.md'), '# Gift cards\n\nGift cards never expire and can be used online.\n');
    suite.server.resetStats();
    const again = createRun({ dir: run.dir, resume: true, providers, baseDir: dir });
    const warnings: string[] = [];
    again.events.on((e) => {
      if (e.type === "warning") warnings.push(e.message);
    });
    const second = await again.start();
    expect(second.exitCode).toBe(0);
    const after = lines<Sample>(join(run.dir, 'samples.jsonl'));
    const added = after.slice(samples.length);
    expect(added).toHaveLength(2);
    expect(added.every((s) => s.source!.file === 'docs/gift-cards.md')).toBe(true);
    expect(suite.server.stats().bodies).toHaveLength(2);
    const plan2 = parseYaml(readFileSync(join(run.dir, 'plan.yaml'), 'utf8')) as Plan;
    expect(warnings.join(' ')).toContain('1 new chunk');
    expect(plan2.grounding!.diff).toEqual({ new: 1, unchanged: chunkIds.length, removed: 0 });
  });

  it('cached input tokens: the session\'s cost equals the server\'s counts at the cached and uncached prices (0.5 %), and the dashboard counts them', async () => {
    const { dir, config } = setup('g2');
    suite.server.setKnobs({ cachedInputTokens: 120 });
    const run = createRun({ config, providers, baseDir: dir });
    const result = await run.start();
    expect(result.exitCode).toBe(0);
    const u = suite.server.stats().usage;
    expect(u.cacheRead).toBeGreaterThan(0);
    const price = lookupPrice('gpt-4.1-mini')!;
    const billed = (u.input * price.input + u.cacheRead * price.cachedInput! + u.output * price.output) / 1e6;
    const stats = (parseYaml(readFileSync(join(run.dir, 'session.yaml'), 'utf8')) as { stats: { cost_usd: number } }).stats;
    expect(Math.abs(stats.cost_usd - billed) / billed).toBeLessThan(0.005);
    expect(run.snapshot().cachedInputTokens).toBe(u.cacheRead);
  });

  it('few-shot in a run without sources: every request carries k examples, rotated', async () => {
    const { dir, config } = setup('g3', { sources: [], size: 6, examples: { path: 'examples.jsonl', k: 2 } });
    const run = createRun({ config, providers, baseDir: dir });
    expect((await run.start()).exitCode).toBe(0);
    // Sample requests only (topic expansion asks for a topic_list and carries no examples).
    const bodies = suite.server.stats().bodies.map((b) => JSON.stringify(b.body)).filter((b) => !b.includes('topic_list'));
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    // The rendered examples are `Example N:\nuser: ...` (JSON-escaped in the body); the sample prompt's own slot list is not.
    for (const b of bodies) expect((b.match(/Example \d:\\nuser:/g) ?? []).length).toBe(2);
    const firsts = new Set(bodies.map((b) => /Example 1:\\nuser: ([^\\]+)/.exec(b)?.[1]));
    expect(firsts.size).toBeGreaterThan(1);
  });

  it('a generated sample equal to a few-shot example is rejected as a duplicate', () => {
    const guard = new ExampleGuard([{ line: 1, messages: [{ role: 'user', content: 'Can I pay by invoice?' }, { role: 'assistant', content: 'Yes, for orders above 50 euros.' }] }]);
    const stage = exampleGuardStage(guard);
    const slot = { id: 's', topicId: 's', replica: 0, category: 'c', path: [], audience: 'a', complexity: 'simple' as const, turns: 1, scenario: 'typical' as const, angle: 'x' };
    const copy = { slot, example: { messages: [] }, usage: { input_tokens: 0, output_tokens: 0 }, model: 'm', extra: {}, mapped: { messages: [{ role: 'user' as const, content: 'Can I pay by invoice?' }, { role: 'assistant' as const, content: 'Yes, for orders above 50 euros.' }] } };
    expect(stage.run(copy, {} as never)).toMatchObject({ ok: false, kind: 'duplicate' });
    const other = { ...copy, mapped: { messages: [{ role: 'user' as const, content: 'How long do refunds take to arrive at my bank?' }, { role: 'assistant' as const, content: 'Refunds arrive within five working days of the return.' }] } };
    expect(stage.run(other, {} as never)).toEqual({ ok: true });
  });
});
