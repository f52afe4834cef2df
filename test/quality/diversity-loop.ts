/**
 * A minimal generation loop for measuring diversity feedback without the engine: per topic, ask the test
 * server for one example at a time, reject duplicates with the engine's DuplicateIndex (exact + MinHash
 * near), and, with feedback on, list the topic's accepted openings in the next prompt.
 */
import OpenAI from 'openai';
import { DuplicateIndex } from '../../src/core/minhash.js';
import { AcceptedOpenings, diversityBlock, DuplicateRates } from '../../src/core/quality/diversity.js';
import { examplesSchema } from '../server/fixtures.js';

export interface LoopResult {
  attempts: number;
  duplicates: number;
  rate: number;
  accepted: number;
}

export async function diversityLoop(baseUrl: string, opts: { topics: number; perTopic: number; feedback: boolean; maxAttempts?: number }): Promise<LoopResult> {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: baseUrl, maxRetries: 0 });
  const index = new DuplicateIndex();
  const openings = new AcceptedOpenings();
  const rates = new DuplicateRates();
  let accepted = 0;
  for (let t = 0; t < opts.topics; t++) {
    const topic = `topic-${t}`;
    let got = 0;
    for (let attempt = 0; got < opts.perTopic && attempt < (opts.maxAttempts ?? opts.perTopic * 4); attempt++) {
      const block = opts.feedback ? diversityBlock(openings.list(topic)) : null;
      const prompt = [`Topic: Orders > ${topic}.`, 'Return exactly 1 examples.', 'Example 1: 1 user turns', block].filter(Boolean).join('\n');
      const r = await client.chat.completions.create({
        model: 'gpt-4.1-mini',
        messages: [
          { role: 'system', content: 'You write training examples for a support assistant. Answer in JSON.' },
          { role: 'user', content: prompt },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'examples', schema: examplesSchema('basic'), strict: true } },
      });
      const json = JSON.parse(r.choices[0]?.message.content ?? '{}') as { examples: Array<{ messages: Array<{ role: string; content: string }> }> };
      const messages = json.examples[0]?.messages ?? [];
      const text = messages.map((m) => m.content).join('\n');
      const check = index.check(text);
      if (check.duplicate) {
        rates.record(topic, 'duplicate');
        openings.add(topic, messages);
        continue;
      }
      index.add(text);
      rates.record(topic, 'accepted');
      openings.add(topic, messages);
      got++;
      accepted++;
    }
  }
  const all = rates.all();
  const attempts = all.reduce((a, r) => a + r.attempts, 0);
  const duplicates = all.reduce((a, r) => a + r.duplicates, 0);
  return { attempts, duplicates, rate: attempts ? duplicates / attempts : 0, accepted };
}
