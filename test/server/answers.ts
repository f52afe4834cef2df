/**
 * The JSON the test server answers with, built from the request's schema and prompt: topic lists,
 * examples (basic, reasoning, agent) and a generic value for any other schema. Also the broken variants
 * the fault knobs ask for.
 */
import type { Random } from '../../src/core/random.js';
import { between, pick } from './random.js';
import { answerText, injectInto, phrase, questionText, reasoningText, topicName } from './text.js';

export type JsonSchema = Record<string, unknown>;

export interface AnswerContext {
  rng: Random;
  /** Request counter: part of the seed, and a tag in user turns. */
  counter: number;
  /** Text inserted into every assistant turn and topic name. */
  inject: string;
  /** Topic names given out so far (kept distinct across requests). */
  usedTopics: Set<string>;
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
  if (kind === 'examples') return examples(schema, prompt, ctx);
  return generic(schema, schema, ctx, '', 0);
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

function turnsFrom(prompt: string, count: number): number[] {
  const turns = new Array<number>(count).fill(1);
  for (const match of prompt.matchAll(/Example (\d+):\s*(\d+) user turns?/gi)) {
    const k = Number(match[1]) - 1;
    if (k >= 0 && k < count) turns[k] = Math.max(1, Math.min(Number(match[2]), 20));
  }
  return turns;
}

interface Shapes {
  example: JsonSchema;
  message: JsonSchema;
  toolCall: JsonSchema | null;
  toolNames: string[];
}

function shapes(root: JsonSchema): Shapes {
  const example = resolve(resolve(properties(root, root).examples, root).items, root);
  const message = resolve(resolve(properties(example, root).messages, root).items, root);
  const toolCallsSchema = properties(message, root).tool_calls;
  const toolCall = toolCallsSchema ? resolve(resolve(toolCallsSchema, root).items, root) : null;
  let toolNames = ['search'];
  if (toolCall) {
    const callProps = properties(toolCall, root);
    const nameSchema = callProps.name ?? properties(callProps.function, root).name;
    const names = resolve(nameSchema, root).enum;
    if (Array.isArray(names) && names.length > 0) toolNames = names.map(String);
  }
  return { example, message, toolCall, toolNames };
}

function examples(root: JsonSchema, prompt: string, ctx: AnswerContext): { examples: unknown[] } {
  const count = countFrom(prompt, /Return exactly (\d+) examples?/i, 1);
  const turns = turnsFrom(prompt, count);
  const s = shapes(root);
  const parameters = toolParameters(prompt);
  const list = turns.map((t) => {
    const example = generic(s.example, root, ctx, '', 0) as Record<string, unknown>;
    example.messages = s.toolCall ? agentMessages(s, root, t, ctx, parameters) : chatMessages(s, root, t, ctx);
    if ('reasoning' in properties(s.example, root)) example.reasoning = reasoningText(ctx.rng);
    return example;
  });
  return { examples: list };
}

const MESSAGE_KEYS = new Set(['role', 'content', 'tool_calls', 'tool_call_id']);

function message(s: Shapes, root: JsonSchema, ctx: AnswerContext, role: string, content: string): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  for (const [prop, propSchema] of Object.entries(properties(s.message, root))) {
    if (!MESSAGE_KEYS.has(prop)) base[prop] = generic(propSchema, root, ctx, prop, 1);
  }
  base.role = role;
  base.content = role === 'assistant' && content ? injectInto(content, ctx.inject) : content;
  if (s.toolCall) {
    base.tool_calls = [];
    base.tool_call_id = '';
  }
  return base;
}

function chatMessages(s: Shapes, root: JsonSchema, turns: number, ctx: AnswerContext): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < turns; i++) {
    out.push(message(s, root, ctx, 'user', questionText(ctx.rng, ctx.counter)));
    out.push(message(s, root, ctx, 'assistant', answerText(ctx.rng)));
  }
  return out;
}

/** The tools' parameter schemas, when the prompt lists the tools as JSON (the engine's agent prompt does). */
function toolParameters(prompt: string): Map<string, JsonSchema> {
  const found = new Map<string, JsonSchema>();
  const match = /^Tools available[^:\n]*:\s*(\[.*\])\s*$/m.exec(prompt);
  if (!match?.[1]) return found;
  try {
    for (const tool of JSON.parse(match[1]) as Array<{ function?: { name?: string; parameters?: JsonSchema } }>) {
      if (tool.function?.name && tool.function.parameters) found.set(tool.function.name, tool.function.parameters);
    }
  } catch {
    // not JSON after all: fall back to a generic argument
  }
  return found;
}

function agentMessages(s: Shapes, root: JsonSchema, turns: number, ctx: AnswerContext, parameters: Map<string, JsonSchema>): unknown[] {
  const id = `call_${ctx.counter}_${between(ctx.rng, 1000, 9999)}`;
  const name = pick(ctx.rng, s.toolNames);
  const params = parameters.get(name);
  const args = JSON.stringify(params ? generic(params, params, ctx, '', 0) : { query: phrase(ctx.rng).toLowerCase() });
  const call = generic(s.toolCall ?? {}, root, ctx, '', 0) as Record<string, unknown>;
  call.id = id;
  if ('function' in properties(s.toolCall, root)) {
    call.function = { name, arguments: args };
    if ('type' in call) call.type = 'function';
  } else {
    call.name = name;
    call.arguments = args;
  }
  const withCall = message(s, root, ctx, 'assistant', '');
  withCall.tool_calls = [call];
  const result = message(s, root, ctx, 'tool', JSON.stringify({ result: answerText(ctx.rng, 60, 160) }));
  result.tool_call_id = id;
  const out: unknown[] = [message(s, root, ctx, 'user', questionText(ctx.rng, ctx.counter)), withCall, result];
  out.push(message(s, root, ctx, 'assistant', answerText(ctx.rng)));
  for (let i = 1; i < turns; i++) {
    out.push(message(s, root, ctx, 'user', questionText(ctx.rng, ctx.counter)));
    out.push(message(s, root, ctx, 'assistant', answerText(ctx.rng)));
  }
  return out;
}

/** A value of the schema's shape; strings read like the field they fill. */
function generic(schema: unknown, root: JsonSchema, ctx: AnswerContext, key: string, depth: number): unknown {
  const s = resolve(schema, root);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return pick(ctx.rng, s.enum);
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
  if (type === 'object' || (type === undefined && s.properties)) {
    const out: Record<string, unknown> = {};
    if (depth > 8) return out;
    for (const [prop, propSchema] of Object.entries(properties(s, root))) {
      out[prop] = generic(propSchema, root, ctx, prop, depth + 1);
    }
    return out;
  }
  if (type === 'array') {
    const min = typeof s.minItems === 'number' ? s.minItems : 1;
    const max = typeof s.maxItems === 'number' ? s.maxItems : Math.max(min, 3);
    const n = depth > 8 ? min : between(ctx.rng, min, Math.max(min, Math.min(max, min + 2)));
    return Array.from({ length: n }, () => generic(s.items, root, ctx, key, depth + 1));
  }
  if (type === 'integer' || type === 'number') {
    const min = typeof s.minimum === 'number' ? s.minimum : 1;
    const max = typeof s.maximum === 'number' ? s.maximum : min + 99;
    return type === 'integer' ? between(ctx.rng, Math.ceil(min), Math.floor(max)) : min + ctx.rng() * (max - min);
  }
  if (type === 'boolean') return ctx.rng() < 0.5;
  if (type === 'null') return null;
  return stringFor(key, s, ctx);
}

function stringFor(key: string, s: JsonSchema, ctx: AnswerContext): string {
  let text: string;
  if (/^(content|answer|response|output|completion|text|body)$/i.test(key)) text = answerText(ctx.rng);
  else if (/^(question|prompt|instruction|input|query)$/i.test(key)) text = questionText(ctx.rng, ctx.counter);
  else if (/reason|explanation|rationale/i.test(key)) text = reasoningText(ctx.rng);
  else if (/id$/i.test(key)) text = `${key || 'id'}_${ctx.counter}_${between(ctx.rng, 1000, 9999)}`;
  else text = phrase(ctx.rng);
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  while (text.length < minLength) text += ` ${phrase(ctx.rng)}`;
  if (typeof s.maxLength === 'number' && text.length > s.maxLength) text = text.slice(0, s.maxLength);
  return text;
}
