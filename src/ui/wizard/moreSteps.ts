/**
 * The questions added in wave 2 (special formats, categories and their weights, max turns), kept beside
 * steps.ts so that file stays small; steps.ts places them in the wizard's order.
 */
import type { Config } from '../../core/config.js';
import { parseOptionalList, parseWeights, parseWholeNumber, type Parsed } from './parse.js';
import type { TextStep } from './steps.js';

const set = (draft: Config, patch: Partial<Config>): Parsed<Config> => ({ ok: true, value: { ...draft, ...patch } });

/** True when every category has the same weight: the spread is even. */
export function evenWeights(draft: Config): boolean {
  const weights = draft.topics.categories.map((c) => c.weight);
  return weights.every((w) => w === weights[0]);
}

export const categoriesStep: TextStep = {
  id: 'categories',
  label: 'Categories',
  kind: 'text',
  title: 'Which categories should the examples cover?',
  help: 'Optional, separated by commas; leave empty and the model proposes them.',
  value: (d) => d.topics.categories.map((c) => c.name).join(', '),
  emptyIsAnswer: true,
  placeholder: '(the model proposes categories)',
  apply: (d, raw) => {
    const parsed = parseOptionalList(raw);
    if (!parsed.ok) return parsed;
    // A category kept by name keeps its weight; a new one starts at 1.
    const before = new Map(d.topics.categories.map((c) => [c.name.toLowerCase(), c.weight]));
    const categories = parsed.value.map((name) => ({ name, weight: before.get(name.toLowerCase()) ?? 1 }));
    return set(d, { topics: { ...d.topics, categories } });
  },
};

export const categoryWeightsStep: TextStep = {
  id: 'category_weights',
  label: 'Category weights',
  kind: 'text',
  title: 'How should examples spread over the categories?',
  help: 'even, or one weight per category in order: 3, 1, 1 gives the first three fifths.',
  when: (d) => d.topics.categories.length > 1,
  value: (d) => (evenWeights(d) ? 'even' : d.topics.categories.map((c) => String(c.weight)).join(', ')),
  aside: (d) => [`Categories, in order: ${d.topics.categories.map((c) => c.name).join(', ')}`],
  apply: (d, raw) => {
    const parsed = parseWeights(raw, d.topics.categories.length);
    if (!parsed.ok) return parsed;
    const categories = d.topics.categories.map((c, i) => ({ ...c, weight: parsed.value[i]! }));
    return set(d, { topics: { ...d.topics, categories } });
  },
};

export const maxTurnsStep: TextStep = {
  id: 'max_turns',
  label: 'Max turns',
  kind: 'text',
  title: 'At most how many user turns in a multi-turn conversation?',
  help: 'From 1 to 20; more turns cost more tokens per example.',
  when: (d) => d.conversation.multi_turn > 0,
  value: (d) => String(d.conversation.max_turns),
  apply: (d, raw) => {
    const parsed = parseWholeNumber(raw, 1, 20);
    return parsed.ok ? set(d, { conversation: { ...d.conversation, max_turns: parsed.value } }) : parsed;
  },
};

export const specialFormatsStep: TextStep = {
  id: 'special_formats',
  label: 'Special formats',
  kind: 'text',
  title: 'Formats the answers should use where natural?',
  help: 'Separated by commas, e.g. code, lists, tables; leave empty for plain prose.',
  value: (d) => d.special_formats.join(', '),
  emptyIsAnswer: true,
  placeholder: '(none: plain prose)',
  apply: (d, raw) => {
    const parsed = parseOptionalList(raw);
    return parsed.ok ? set(d, { special_formats: parsed.value }) : parsed;
  },
};
