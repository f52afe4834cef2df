/**
 * The `repeatUnlessAvoided` knob: a server that repeats itself unless told what to avoid. With K > 0, each
 * example of an `examples` answer becomes the first of K canned conversations whose opening the prompt
 * does not already list (each one a word away from its last use: a near duplicate), and only once the
 * prompt lists all K does the server write fresh examples. Diversity feedback is what moves it on.
 * The canned set is per topic: keyed by the prompt's first line that mentions "topic" (all prompts
 * without one share a set).
 */
import { hash32, mulberry32 } from '../../src/core/random.js';
import { answerText, questionText } from './text.js';

interface Canned {
  user: string;
  assistant: string;
  /** What the prompt must contain for the server to move past this one. */
  marker: string;
}

const cache = new Map<string, Canned>();

function canned(topic: string, i: number): Canned {
  const key = `${topic}\u0000${i}`;
  let c = cache.get(key);
  if (!c) {
    const rng = mulberry32((hash32(topic) ^ (90_001 + i)) >>> 0);
    const user = `${questionText(rng, 0)} (case ${i + 1})`;
    c = { user, assistant: answerText(rng, 300, 600), marker: user.split(' ').slice(0, 6).join(' ') };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, c);
  }
  return c;
}

type Examples = { examples: Array<{ messages: Array<{ role: string; content: string }> }> };

export function repeatUnlessAvoided(answer: unknown, prompt: string, k: number, counter: number): unknown {
  if (k <= 0 || !answer || typeof answer !== 'object' || !Array.isArray((answer as Examples).examples)) return answer;
  const copy = structuredClone(answer) as Examples;
  const topic = /^.*topic.*$/im.exec(prompt)?.[0] ?? '';
  const used = new Set<number>();
  for (const example of copy.examples) {
    let i = 0;
    while (i < k && (used.has(i) || prompt.includes(canned(topic, i).marker))) i++;
    if (i >= k) continue;
    used.add(i);
    const c = canned(topic, i);
    const user = example.messages.find((m) => m.role === 'user');
    const assistant = example.messages.find((m) => m.role === 'assistant');
    if (user) user.content = c.user;
    // One word changed per request: a near duplicate of the last one, not an exact copy.
    if (assistant) assistant.content = c.assistant.replace(/\b(\w+)\b/, `$1-${counter}`);
  }
  return copy;
}
