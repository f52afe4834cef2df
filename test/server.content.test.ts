import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/core/config.js';
import { answerSchema, kindOf } from '../src/core/kinds/index.js';
import { sampleRequest } from '../src/core/requests.js';
import { toWireSchema, topicPrompt, TopicListSchema } from '../src/core/prompts.js';
import type { SlotSpec } from '../src/core/types.js';
import { OpenAIProvider } from '../src/providers/openai.js';
import type { GenerateRequest } from '../src/providers/types.js';
import { examplesRequest, jaccard3, topicsRequest } from './server/fixtures.js';
import { startTestServer, type TestServer } from './server/index.js';

type Msg = { role: string; content: string; tool_calls?: Array<{ id: string; name: string; arguments: string }>; tool_call_id?: string };
type Examples = { examples: Array<{ messages: Msg[]; reasoning?: string }> };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: 5 });
});
afterAll(async () => {
  await server.close();
});

const ask = async (request: GenerateRequest, srv = server) =>
  (await new OpenAIProvider({ model: 'm', apiKey: 'sk-test', baseUrl: srv.openaiBaseUrl, timeoutMs: 5000 }).generate(request)).json;

describe('what the test server answers', () => {
  it('gives as many examples as asked, with the user turns each one asks for, alternating and within length bounds', async () => {
    const json = (await ask(examplesRequest(3, [1, 3, 2]))) as Examples;
    expect(json.examples.map((e) => e.messages.length)).toEqual([2, 6, 4]);
    for (const { messages } of json.examples) {
      messages.forEach((m, i) => expect(m.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
      for (const m of messages) {
        const [min, max] = m.role === 'user' ? [40, 300] : [200, 700];
        expect(m.content.length).toBeGreaterThanOrEqual(min);
        expect(m.content.length).toBeLessThanOrEqual(max);
      }
    }
  });

  it('never gives two near-duplicate assistant answers (word 3-gram Jaccard well under 0.5)', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) {
      const json = (await ask(examplesRequest(4))) as Examples;
      for (const e of json.examples) answers.push(...e.messages.filter((m) => m.role === 'assistant').map((m) => m.content));
    }
    expect(new Set(answers).size).toBe(40);
    let worst = 0;
    for (let i = 0; i < answers.length; i++) {
      for (let j = i + 1; j < answers.length; j++) worst = Math.max(worst, jaccard3(answers[i]!, answers[j]!));
    }
    expect(worst).toBeLessThan(0.2);
  });

  it('adds reasoning when the schema has it', async () => {
    const json = (await ask(examplesRequest(2, [], 'reasoning'))) as Examples;
    for (const e of json.examples) expect(e.reasoning?.length).toBeGreaterThan(50);
  });

  it('writes agent examples as user, tool call, tool result with the same id, final answer', async () => {
    const json = (await ask(examplesRequest(2, [1, 2], 'agent'))) as Examples;
    const [first, second] = json.examples;
    expect(first?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(second?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user', 'assistant']);
    const [user, call, result, answer] = first!.messages;
    expect(call?.content).toBe('');
    expect(call?.tool_calls).toHaveLength(1);
    const toolCall = call!.tool_calls![0]!;
    expect(['get_weather', 'lookup_order']).toContain(toolCall.name);
    expect(JSON.parse(toolCall.arguments)).toBeTypeOf('object');
    expect(result?.tool_call_id).toBe(toolCall.id);
    for (const m of [user, result, answer]) expect(m?.tool_calls).toEqual([]);
    expect(user?.tool_call_id).toBe('');
    expect(answer?.content.length).toBeGreaterThan(100);
  });

  it('gives distinct topic names, as many as asked, across requests', async () => {
    const names: string[] = [];
    for (let i = 0; i < 8; i++) {
      const json = (await ask(topicsRequest(6))) as { topics: string[] };
      expect(json.topics).toHaveLength(6);
      names.push(...json.topics);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('answers any other schema with a value of its shape', async () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'score', 'tags', 'done'],
      properties: { title: { type: 'string' }, score: { type: 'integer', minimum: 1, maximum: 5 }, tags: { type: 'array', items: { type: 'string' } }, done: { type: 'boolean' } },
    };
    const json = (await ask({ ...topicsRequest(), schema, schemaName: 'review' })) as Record<string, unknown>;
    expect(json.title).toBeTypeOf('string');
    expect(json.score).toBeGreaterThanOrEqual(1);
    expect(json.score).toBeLessThanOrEqual(5);
    expect(Array.isArray(json.tags)).toBe(true);
    expect(json.done).toBeTypeOf('boolean');
  });

  it('puts the inject text into assistant turns only', async () => {
    server.setKnobs({ inject: '\u001b[2J\u001b]0;pwned\u0007' });
    try {
      const json = (await ask(examplesRequest(1))) as Examples;
      const [user, assistant] = json.examples[0]!.messages;
      expect(assistant?.content).toContain('\u001b[2J');
      expect(user?.content).not.toContain('\u001b');
    } finally {
      server.setKnobs({ inject: '' });
    }
  });

  it('is deterministic for a seed', async () => {
    const a = await startTestServer({ seed: 99 });
    const b = await startTestServer({ seed: 99 });
    const c = await startTestServer({ seed: 100 });
    try {
      const [x, y, z] = await Promise.all([a, b, c].map((s) => ask(examplesRequest(1), s)));
      expect(x).toEqual(y);
      expect(x).not.toEqual(z);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});

describe('the engine accepts what the test server answers', () => {
  const config = validateConfig({
    name: 'support',
    task: 'answer billing questions',
    domain: 'billing',
    size: 10,
    conversation: { type: 'agent', tools: [{ function: { name: 'lookup_invoice', parameters: { type: 'object', properties: { invoice_id: { type: 'string' } }, required: ['invoice_id'] } } }] },
  });
  const slot = (i: number, turns: number): SlotSpec => ({
    id: `s${i}`, topicId: 't1', replica: i, category: 'billing', path: ['Refunds'], audience: 'beginner',
    complexity: 'simple', turns, scenario: 'typical', angle: 'a first-time customer',
  });

  it('parses the engine sample request (the kind\'s wire schema, strict dialect) and passes the kind\'s check', async () => {
    const slots = [slot(1, 1), slot(2, 2)];
    const { request } = sampleRequest(config, slots, 8000, [], 'openai');
    const schema = answerSchema(config);
    const json = await ask(request);
    const parsed = schema.parse(json);
    expect(parsed.examples).toHaveLength(2);
    expect(parsed.examples[1]?.messages.filter((m) => m.role === 'user')).toHaveLength(2);
    parsed.examples.forEach((example, i) => expect(kindOf(config).check(example, slots[i]!, config)).toBeNull());
    const call = parsed.examples[0]!.messages[1] as unknown as { tool_calls: Array<{ arguments: Record<string, unknown> }> };
    expect(Object.keys(call.tool_calls[0]!.arguments)).toEqual(['invoice_id']);
  });

  it('parses the engine topic prompt', async () => {
    const prompt = topicPrompt(config, ['Refunds'], [], 5);
    const json = await ask({
      system: prompt.system,
      messages: [{ role: 'user', content: prompt.user }],
      schema: toWireSchema(TopicListSchema),
      schemaName: 'topic_list',
      maxOutputTokens: 1000,
    });
    expect(TopicListSchema.parse(json).topics).toHaveLength(5);
  });
});
