/**
 * The JSON the test server answers with, built from the request's schema and prompt: topic lists,
 * examples (basic, reasoning, agent: schema-conversation.ts) and a schema-valid value for any other schema
 * (schema-answer.ts). Also the broken variants the fault knobs ask for.
 */
import type { Random } from '../../src/core/random.js';
import { augmentedAnswer, groundedAnswer, isGroundedSchema } from './grounded.js';
import { instanceFor } from './schema-answer.js';
import { examplesFromSchema } from './schema-conversation.js';
import { answerText, injectInto, topicName } from './text.js';

export type JsonSchema = Record<string, unknown>;

export interface AnswerContext {
  rng: Random;
  /** Request counter: part of the seed, and a tag in user turns. */
  counter: number;
  /** Text inserted into every assistant turn and topic name. */
  inject: string;
  /** Topic names given out so far (kept distinct across requests). */
  usedTopics: Set<string>;
  /** Share of examples given a user-turn count other than the planned one (knob wrongTurnsRate). */
  wrongTurnsRate?: number;
}

/** Which answer a schema asks for: by name, else by its `title`, else by its properties. */
export function schemaKind(name: string | undefined, schema: JsonSchema): 'topic_list' | 'examples' | 'other' {
  const label = name ?? (typeof schema.title === 'string' ? schema.title : undefined);
  if (label === 'topic_list' || label === 'examples') return label;
  const props = properties(schema, schema);
  if ('topics' in props) return 'topic_list';
  if ('examples' in props) return 'examples';
  return 'other';
}

export function buildAnswer(name: string | undefined, schema: JsonSchema, prompt: string, ctx: AnswerContext): unknown {
  const kind = schemaKind(name, schema);
  if (kind === 'topic_list') return { topics: topics(countFrom(prompt, /Return exactly (\d+) subtopics/i, 4), ctx) };
  if (name === 'augmented_example') return augmentedAnswer(ctx);
  if (kind === 'examples' && isGroundedSchema(schema)) return groundedAnswer(schema, prompt, ctx);
  if (kind === 'examples') return examplesFromSchema(schema, prompt, ctx);
  return instanceFor(schema, schema, { rng: ctx.rng, counter: ctx.counter }, '', 0);
}

/** Valid JSON that breaks the schema: a missing key, a wrong role, an empty turn. */
export function breakAnswer(answer: unknown, name: string | undefined, schema: JsonSchema): unknown {
  const kind = schemaKind(name, schema);
  if (kind === 'topic_list') return { subtopics: (answer as { topics: string[] }).topics };
  if (kind === 'examples') {
    const copy = structuredClone(answer) as { examples: Array<{ messages: Array<{ role: string; content: string }> }> };
    const messages = copy.examples[0]?.messages ?? [];
    if (messages[0]) messages[0].role = 'narrator';
    const last = messages[messages.length - 1];
    if (last) last.content = '';
    return copy;
  }
  if (answer && typeof answer === 'object' && !Array.isArray(answer)) {
    const copy = { ...(answer as Record<string, unknown>) };
    const first = Object.keys(copy)[0];
    if (first !== undefined) delete copy[first];
    return Object.keys(copy).length > 0 ? copy : [];
  }
  return { unexpected: answer };
}

/** Prose where JSON was asked for. */
export function malformedText(ctx: AnswerContext): string {
  return `Sure! Here is what you asked for:\n\n- ${answerText(ctx.rng, 80, 200)}\n\nLet me know if you need more.`;
}

function countFrom(prompt: string, pattern: RegExp, fallback: number): number {
  const match = pattern.exec(prompt);
  const n = match?.[1] ? Number(match[1]) : fallback;
  return Math.max(1, Math.min(n, 200));
}

function topics(count: number, ctx: AnswerContext): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    let name = topicName(ctx.rng);
    for (let tries = 0; ctx.usedTopics.has(name) && tries < 20; tries++) name = topicName(ctx.rng);
    if (ctx.usedTopics.has(name)) name = `${name} ${ctx.counter}-${i + 1}`;
    ctx.usedTopics.add(name);
    names.push(ctx.inject ? injectInto(name, ctx.inject) : name);
  }
  return names;
}

function resolve(schema: unknown, root: JsonSchema): JsonSchema {
  let current = (schema ?? {}) as JsonSchema;
  for (let depth = 0; typeof current.$ref === 'string' && depth < 10; depth++) {
    const path = current.$ref.replace(/^#\//, '').split('/');
    let target: unknown = root;
    for (const part of path) target = (target as Record<string, unknown> | undefined)?.[part];
    current = (target ?? {}) as JsonSchema;
  }
  const branches = (current.anyOf ?? current.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches)) {
    const branch = branches.find((b) => resolve(b, root).type !== 'null') ?? branches[0];
    return resolve(branch, root);
  }
  return current;
}

function properties(schema: unknown, root: JsonSchema): Record<string, JsonSchema> {
  return (resolve(schema, root).properties ?? {}) as Record<string, JsonSchema>;
}
