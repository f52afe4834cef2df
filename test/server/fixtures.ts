/** Schemas and requests shaped like the engine's, for provider and server tests. */
import type { GenerateRequest } from '../../src/providers/types.js';

const strictObject = (properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});

export const topicListSchema = strictObject({ topics: { type: 'array', items: { type: 'string' } } });

const chatMessage = strictObject({ role: { type: 'string', enum: ['user', 'assistant'] }, content: { type: 'string' } });

export function examplesSchema(kind: 'basic' | 'reasoning' | 'agent' = 'basic', tools = ['get_weather', 'lookup_order']) {
  const message =
    kind === 'agent'
      ? strictObject({
          role: { type: 'string', enum: ['user', 'assistant', 'tool'] },
          content: { type: 'string' },
          tool_calls: {
            type: 'array',
            items: strictObject({ id: { type: 'string' }, name: { type: 'string', enum: tools }, arguments: { type: 'string' } }),
          },
          tool_call_id: { type: 'string' },
        })
      : chatMessage;
  const example = strictObject({
    messages: { type: 'array', items: message },
    ...(kind === 'reasoning' ? { reasoning: { type: 'string' } } : {}),
  });
  return strictObject({ examples: { type: 'array', items: example } });
}

export function examplesRequest(count = 2, turns: number[] = [], kind: 'basic' | 'reasoning' | 'agent' = 'basic'): GenerateRequest {
  const lines = Array.from({ length: count }, (_, i) => `Example ${i + 1}: ${turns[i] ?? 1} user turns`);
  return {
    system: 'You write training examples for a support assistant. Answer in JSON.',
    messages: [{ role: 'user', content: `Topic: Billing > Refunds.\nReturn exactly ${count} examples.\n${lines.join('\n')}` }],
    schema: examplesSchema(kind),
    schemaName: 'examples',
    maxOutputTokens: 4000,
  };
}

export function topicsRequest(count = 4): GenerateRequest {
  return {
    system: 'You plan a dataset. Answer in JSON.',
    messages: [{ role: 'user', content: `Parent topic: Billing.\nReturn exactly ${count} subtopics.` }],
    schema: topicListSchema,
    schemaName: 'topic_list',
    maxOutputTokens: 1000,
  };
}

/** Word 3-gram Jaccard similarity, the near-duplicate measure. */
export function jaccard3(a: string, b: string): number {
  const grams = (s: string) => {
    const w = s.toLowerCase().split(/\W+/).filter(Boolean);
    const out = new Set<string>();
    for (let i = 0; i + 2 < w.length; i++) out.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
    return out;
  };
  const x = grams(a);
  const y = grams(b);
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  const union = x.size + y.size - both;
  return union === 0 ? 0 : both / union;
}
