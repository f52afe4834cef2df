/**
 * What we ask the generator model: the topic-expansion prompt and the sample prompt, whose kind-specific
 * parts (and the answer schemas) come from kinds/. Diversity comes from the prompt (topic path, audience,
 * complexity, turns, scenario, angle per slot); sampling settings are optional (provider.temperature).
 */
import { z } from 'zod';
import type { Config } from './config.js';
import { kindOf, type DatasetKind } from './kinds/index.js';
import type { SlotSpec } from './types.js';

/** Bumped whenever the wording below changes: it is part of the plan fingerprint. */
export const PROMPT_VERSION = 1;

export interface PromptPair {
  system: string;
  user: string;
}

export const TopicListSchema = z.strictObject({ topics: z.array(z.string()) });
export const TOPIC_SCHEMA_NAME = 'topic_list';
export { toWireSchema } from './kinds/index.js';

// ---------------------------------------------------------------- topic expansion

const TOPIC_SYSTEM =
  'You are an expert curriculum designer for machine-learning training data. You break a subject into ' +
  'distinct, concrete subtopics that together cover it well. You answer only with JSON matching the schema.';

export function topicPrompt(config: Config, path: string[], siblings: string[], count: number): PromptPair {
  const here = path.length > 0 ? path[path.length - 1]! : config.domain;
  const lines = [
    `We are building a fine-tuning dataset for: ${config.task}, in the domain "${config.domain}".`,
    config.instructions.trim() ? `Guidance from the dataset owner: ${config.instructions.trim()}` : '',
    `Topic path: ${[config.domain, ...path].join(' > ')}`,
    siblings.length > 0 ? `Sibling topics already covered elsewhere (do not repeat them): ${siblings.join('; ')}` : '',
    `Return exactly ${count} subtopics of "${here}".`,
    'Each subtopic is a short name of 2 to 8 words, specific enough to write realistic conversations about,',
    'distinct from the others in meaning (not rewordings of one idea), and within the topic path above.',
  ];
  return { system: TOPIC_SYSTEM, user: lines.filter(Boolean).join('\n') };
}

// ---------------------------------------------------------------- samples

const LENGTH_GUIDE: Record<Config['response_length'], string> = {
  short: 'short: one to three sentences per assistant turn',
  medium: 'medium: one to three short paragraphs (or an equivalent list or code block) per assistant turn',
  long: 'long: thorough, several paragraphs with structure where it helps',
};

const COMPLEXITY_GUIDE: Record<SlotSpec['complexity'], string> = {
  simple: 'simple (a common, direct request)',
  moderate: 'moderate (needs a few steps or some context)',
  complex: 'complex (several constraints, trade-offs or steps)',
};

const SCENARIO_GUIDE: Record<SlotSpec['scenario'], string> = {
  typical: 'a typical request',
  edge_case: 'an edge case (ambiguous, missing information, out of scope, or an error situation the assistant handles well)',
  negative: 'a request the assistant should decline or correct (unsafe, against policy, or based on a false premise), handled politely and helpfully',
};

function sampleSystem(kind: DatasetKind): string {
  const base =
    'You are an expert author of training data for fine-tuning language models. You write realistic, ' +
    'varied and correct conversations between a user and an AI assistant. Assistant turns are exactly what ' +
    'an excellent assistant would answer. You invent concrete, plausible details instead of placeholders. ' +
    'You answer only with JSON matching the schema.';
  return kind.systemAddendum ? `${base} ${kind.systemAddendum}` : base;
}

export function describeSlot(spec: SlotSpec, index: number): string {
  return (
    `Example ${index}: ${spec.turns} user turn${spec.turns === 1 ? '' : 's'}; user expertise: ${spec.audience}; ` +
    `complexity: ${COMPLEXITY_GUIDE[spec.complexity]}; scenario: ${SCENARIO_GUIDE[spec.scenario]}; angle: ${spec.angle}.`
  );
}

/** The prompt for one request filling `slots` (all from the same leaf topic). */
export function samplePrompt(config: Config, slots: SlotSpec[]): PromptPair {
  const kind = kindOf(config);
  const first = slots[0];
  const topicPath = first ? [config.domain, ...first.path].join(' > ') : config.domain;
  const lines: string[] = [
    `Write conversations to fine-tune an assistant for: ${config.task}.`,
    `Domain: ${config.domain}.`,
    `Topic of these conversations: ${topicPath}.`,
    `Assistant tone: ${config.tone}. Response length: ${LENGTH_GUIDE[config.response_length]}.`,
  ];
  if (config.special_formats.length > 0) lines.push(`Use these formats in answers where natural: ${config.special_formats.join(', ')}.`);
  if (config.system_prompt) lines.push(`The assistant being trained runs with this system prompt (do not include it in the messages): "${config.system_prompt}"`);
  if (config.instructions.trim()) lines.push(`Guidance from the dataset owner: ${config.instructions.trim()}`);
  lines.push(...kind.promptLines(config));
  lines.push(`Return exactly ${slots.length} examples.`);
  slots.forEach((spec, i) => lines.push(describeSlot(spec, i + 1)));
  lines.push(
    'Each example\'s messages start with a user message, alternate user and assistant, and end with an assistant message.',
    'Make every example clearly different from the others and from what is most typical: different situations, names, numbers and wording.',
  );
  return { system: sampleSystem(kind), user: lines.join('\n') };
}

/** Turns a failed answer into feedback for the retry (SPEC 6.2: retried with the validation error fed back). */
export function feedbackTurns(raw: string | undefined, problem: string): { role: 'user' | 'assistant'; content: string }[] {
  const turns: { role: 'user' | 'assistant'; content: string }[] = [];
  if (raw && raw.length > 0 && raw.length <= 6000) turns.push({ role: 'assistant', content: raw });
  turns.push({
    role: 'user',
    content: `Your previous answer was rejected: ${problem}. Answer the same request again with valid JSON that matches the schema and fixes this.`,
  });
  return turns;
}

/** Angles that push replicas of one topic apart. */
export const ANGLES = [
  'a first-time question from someone new to this',
  'a follow-up after a first attempt failed',
  'a comparison between two options',
  'troubleshooting something that went wrong',
  'a request with an important detail missing',
  'a time-pressured request',
  'a request involving specific numbers or dates',
  'a question about best practices',
  'a misconception the user holds',
  'a step-by-step how-to',
  'a request to explain why, not just how',
  'a real-world scenario with concrete constraints',
  'a request for an example or template to adapt',
  'a question about limits, costs or risks',
  'an unusual but legitimate use case',
  'a request to review or improve something the user wrote',
];
