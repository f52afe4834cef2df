/** Seeded prose for the test server: user questions, assistant answers, reasoning and topic names. */
import type { Random } from '../../src/core/random.js';
import { between, pick } from './random.js';
import { ADJECTIVES, ADVERBS, NOUNS, TOPIC_SUFFIXES, VERBS } from './vocabulary.js';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function third(verb: string): string {
  if (/(s|x|z|ch|sh)$/.test(verb)) return `${verb}es`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

type Filler = { n: () => string; a: () => string; an: () => string; v: () => string; d: () => string };

/** "a stale" / "an urgent". */
const article = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

const ANSWER_SENTENCES: ReadonlyArray<(f: Filler) => string> = [
  (f) => `${cap(f.v())} the ${f.a()} ${f.n()} before you ${f.v()} the ${f.n()}.`,
  (f) => `${cap(f.an())} ${f.n()} usually ${third(f.v())} the ${f.n()} when the ${f.n()} is ${f.a()}.`,
  (f) => `If the ${f.n()} looks ${f.a()}, ${f.v()} the ${f.n()} and ${f.v()} the ${f.a()} ${f.n()}.`,
  (f) => `The key point is that every ${f.n()} needs ${f.an()} ${f.n()} and ${f.an()} ${f.n()}.`,
  (f) => `In practice, teams ${f.v()} the ${f.n()} ${f.d()} to keep the ${f.n()} ${f.a()}.`,
  (f) => `This matters because ${f.an()} ${f.n()} can ${f.v()} the whole ${f.n()}.`,
  (f) => `Once that works, ${f.v()} the ${f.n()} ${f.d()} and compare it with the ${f.a()} ${f.n()}.`,
  (f) => `Avoid letting the ${f.n()} ${f.v()} ${f.an()} ${f.n()}; ${f.v()} it ${f.d()} instead.`,
  (f) => `Finally, ${f.v()} the ${f.n()} so the ${f.a()} ${f.n()} stays ${f.a()}.`,
];

const QUESTION_SENTENCES: ReadonlyArray<(f: Filler) => string> = [
  (f) => `How do I ${f.v()} the ${f.a()} ${f.n()} when my ${f.n()} is ${f.a()}?`,
  (f) => `Can you explain why the ${f.n()} keeps failing to ${f.v()} the ${f.n()}?`,
  (f) => `What is the best way to ${f.v()} ${f.an()} ${f.n()} for our ${f.n()}?`,
  (f) => `Our ${f.a()} ${f.n()} started to ${f.v()} the ${f.n()} ${f.d()}. Is that expected?`,
  (f) => `Should we ${f.v()} the ${f.n()} or ${f.v()} the ${f.a()} ${f.n()} first?`,
];

const CONTEXT_SENTENCES: ReadonlyArray<(f: Filler, tag: number) => string> = [
  (f, tag) => `I'm working on ${f.an()} ${f.n()} (ticket ${tag}) and need to ${f.v()} the ${f.n()}.`,
  (f) => `We ${f.v()} the ${f.n()} ${f.d()}, but the ${f.n()} is still ${f.a()}.`,
  (f) => `Right now the ${f.n()} and the ${f.n()} are both ${f.a()}.`,
];

function filler(rng: Random): Filler {
  return { n: () => pick(rng, NOUNS), a: () => pick(rng, ADJECTIVES), an: () => article(pick(rng, ADJECTIVES)), v: () => pick(rng, VERBS), d: () => pick(rng, ADVERBS) };
}

/** 200-700 characters of advice-shaped prose. */
export function answerText(rng: Random, min = 200, max = 700): string {
  const f = filler(rng);
  const target = between(rng, min + 50, max - 100);
  let text = '';
  while (text.length < target) {
    const next = pick(rng, ANSWER_SENTENCES)(f);
    if (text.length + next.length + 1 > max && text.length >= min) break;
    text = text ? `${text} ${next}` : next;
  }
  return text.length > max ? text.slice(0, max) : text;
}

/** 40-300 characters: a question with some context. `tag` (the request counter) makes it traceable. */
export function questionText(rng: Random, tag: number): string {
  const f = filler(rng);
  let text = rng() < 0.6 ? `${pick(rng, CONTEXT_SENTENCES)(f, tag)} ` : '';
  text += pick(rng, QUESTION_SENTENCES)(f);
  while (text.length < 40) text += ` ${pick(rng, QUESTION_SENTENCES)(f)}`;
  return text.length > 300 ? text.slice(0, 300) : text;
}

/** A short chain of reasoning, 150-500 characters. */
export function reasoningText(rng: Random): string {
  const f = filler(rng);
  const steps = between(rng, 2, 4);
  const parts: string[] = [];
  for (let i = 1; i <= steps; i++) {
    parts.push(`Step ${i}: the ${f.n()} is ${f.a()}, so ${f.v()} the ${f.n()} before the ${f.n()}.`);
  }
  return `${parts.join(' ')} Therefore the ${f.a()} ${f.n()} is the right place to start.`;
}

/** A short topic name such as "Stale webhook retries". */
export function topicName(rng: Random): string {
  return `${cap(pick(rng, ADJECTIVES))} ${pick(rng, NOUNS)} ${pick(rng, TOPIC_SUFFIXES)}`;
}

/** 3-6 words, for generic string fields. */
export function phrase(rng: Random): string {
  const f = filler(rng);
  const parts = [f.a(), f.n()];
  if (rng() < 0.5) parts.push(f.v(), f.n());
  return cap(parts.join(' '));
}

/** Puts `inject` in the middle of `text`, at a word boundary. */
export function injectInto(text: string, inject: string): string {
  if (!inject) return text;
  const space = text.indexOf(' ', Math.floor(text.length / 2));
  const at = space < 0 ? text.length : space;
  return `${text.slice(0, at)} ${inject}${text.slice(at)}`;
}
