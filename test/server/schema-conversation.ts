/**
 * Examples answers (`{examples: [{messages: [...]}, ...]}`) built from the request's schema the way a model
 * under strict structured output writes them: the count the schema fixes (minItems = maxItems) or the prompt
 * asks for, the user turns each example is planned with, roles alternating, and for agent schemas assistant
 * steps with tool calls whose arguments follow the tool's parameter schema embedded in the answer schema,
 * one tool result per call id (some of them errors), and a final answer. Fields a message does not use are
 * null where the schema allows it, else the empty value the prompt asks for ([] / "").
 */
import type { Random } from '../../src/core/random.js';
import { between, pick } from './random.js';
import { allowsNull, deref, instanceFor, nonNull, type InstanceContext, type JsonSchema } from './schema-answer.js';
import { answerText, injectInto, phrase, questionText, reasoningText } from './text.js';

export interface ConversationContext {
  rng: Random;
  counter: number;
  /** Text inserted into every assistant turn. */
  inject: string;
  /** Share of examples given another user-turn count than planned. */
  wrongTurnsRate?: number;
}

const isObject = (v: unknown): v is JsonSchema => !!v && typeof v === 'object' && !Array.isArray(v);
const propsOf = (s: JsonSchema): Record<string, JsonSchema> => (isObject(s.properties) ? (s.properties as Record<string, JsonSchema>) : {});

interface CallShape {
  name: string;
  /** The call object's schema (a variant of the tool-call union, or the one call schema). */
  schema: JsonSchema;
  /** Arguments as an object following this schema, or (legacy) a JSON string. */
  argsSchema: JsonSchema | null;
  nested: boolean;
}

interface Shapes {
  root: JsonSchema;
  messageVariants: JsonSchema[];
  calls: CallShape[];
  /** Arguments are objects in the schema: full agent behaviour (parallel calls, several steps, errors). */
  rich: boolean;
  maxParallel: number;
  toolParams: Map<string, JsonSchema>;
}

function variantsOf(s: JsonSchema, root: JsonSchema): JsonSchema[] {
  const d = deref(s, root);
  const list = (d.anyOf ?? d.oneOf) as unknown;
  return Array.isArray(list) ? list.map((b) => deref(b, root)).filter((b) => b.type !== 'null') : [d];
}

function enumOf(s: unknown, root: JsonSchema): string[] {
  const d = nonNull(s, root);
  if ('const' in d) return [String(d.const)];
  return Array.isArray(d.enum) ? d.enum.map(String) : [];
}

function callShapes(message: JsonSchema[], root: JsonSchema, toolParams: Map<string, JsonSchema>): { calls: CallShape[]; max: number } {
  const calls: CallShape[] = [];
  let max = 3;
  for (const variant of message) {
    const toolCalls = propsOf(variant).tool_calls;
    if (!toolCalls) continue;
    const array = nonNull(toolCalls, root);
    if (typeof array.maxItems === 'number') max = Math.min(max, array.maxItems);
    for (const call of variantsOf(array.items as JsonSchema, root)) {
      const props = propsOf(call);
      const nested = 'function' in props;
      const fnProps = nested ? propsOf(deref(props.function, root)) : props;
      const names = enumOf(fnProps.name, root);
      const args = fnProps.arguments ? nonNull(fnProps.arguments, root) : null;
      const objectArgs = args && (args.type === 'object' || isObject(args.properties)) ? args : null;
      for (const name of names.length > 0 ? names : ['search']) calls.push({ name, schema: call, argsSchema: objectArgs, nested });
    }
  }
  return { calls, max: Math.max(1, max) };
}

/** The tools' parameter schemas, when the prompt lists the tools as JSON (main's agent prompt does). */
function toolParameters(prompt: string): Map<string, JsonSchema> {
  const found = new Map<string, JsonSchema>();
  const match = /^Tools available[^:\n]*:\s*(\[.*\])\s*$/m.exec(prompt);
  if (!match?.[1]) return found;
  try {
    for (const tool of JSON.parse(match[1]) as Array<{ function?: { name?: string; parameters?: JsonSchema } }>) {
      if (tool.function?.name && tool.function.parameters) found.set(tool.function.name, tool.function.parameters);
    }
  } catch {
    // not JSON after all: arguments fall back to a generic object
  }
  return found;
}

function countFrom(prompt: string, array: JsonSchema): number {
  const min = typeof array.minItems === 'number' ? array.minItems : 1;
  const max = typeof array.maxItems === 'number' ? array.maxItems : 200;
  if (min === max) return min;
  const asked = /Return exactly (\d+) examples?/i.exec(prompt);
  const n = asked?.[1] ? Number(asked[1]) : 1;
  return Math.max(min, Math.min(n, max, 200));
}

function turnsFrom(prompt: string, count: number): number[] {
  const turns = new Array<number>(count).fill(1);
  for (const match of prompt.matchAll(/Example (\d+):\s*(\d+) user turns?/gi)) {
    const k = Number(match[1]) - 1;
    if (k >= 0 && k < count) turns[k] = Math.max(1, Math.min(Number(match[2]), 20));
  }
  return turns;
}

export function examplesFromSchema(root: JsonSchema, prompt: string, ctx: ConversationContext): { examples: unknown[] } {
  const examplesArray = nonNull(propsOf(deref(root, root)).examples, root);
  const example = nonNull(examplesArray.items, root);
  const messageVariants = variantsOf(nonNull(propsOf(example).messages, root).items as JsonSchema, root);
  const toolParams = toolParameters(prompt);
  const { calls, max } = callShapes(messageVariants, root, toolParams);
  const shapes: Shapes = { root, messageVariants, calls, rich: calls.some((c) => c.argsSchema), maxParallel: max, toolParams };
  const steps = /at most (\d+) (?:assistant |tool[- ]call )?steps?/i.exec(prompt);
  const agentSteps = steps?.[1] ? Math.max(1, Number(steps[1])) : 2;
  const ictx: InstanceContext = { rng: ctx.rng, counter: ctx.counter, nullRate: 0.2 };
  const count = countFrom(prompt, examplesArray);
  const planned = turnsFrom(prompt, count);
  const examples = planned.map((asked) => {
    const turns = ctx.wrongTurnsRate && ctx.rng() < ctx.wrongTurnsRate ? (asked > 1 ? 1 : 2) : asked;
    const out: Record<string, unknown> = {};
    for (const [prop, sub] of Object.entries(propsOf(example))) {
      if (prop === 'messages') out.messages = conversation(shapes, turns, agentSteps, ctx);
      else if (prop === 'reasoning') out.reasoning = reasoningText(ctx.rng);
      else out[prop] = instanceFor(sub, root, ictx, prop, 1);
    }
    return out;
  });
  return { examples };
}

/** The message variant for a role (and for a tool-call step), with the value each of its fields gets. */
function message(s: Shapes, ctx: ConversationContext, role: string, fields: Record<string, unknown>, wantsCalls = false): Record<string, unknown> {
  const variant =
    s.messageVariants.find((v) => enumOf(propsOf(v).role, s.root).includes(role) && (!wantsCalls || 'tool_calls' in propsOf(v))) ??
    (s.messageVariants[0] as JsonSchema);
  const out: Record<string, unknown> = {};
  for (const [prop, sub] of Object.entries(propsOf(variant))) {
    if (prop === 'role') out.role = role;
    else if (prop in fields) out[prop] = fields[prop];
    else if (prop === 'reasoning' && role === 'assistant') out.reasoning = reasoningText(ctx.rng);
    else out[prop] = emptyValue(sub, s.root, ctx, prop);
  }
  if (role === 'assistant' && typeof out.content === 'string' && out.content) out.content = injectInto(out.content, ctx.inject);
  return out;
}

/** What a field the message does not use holds: null, [], "" where the schema allows, else a schema-valid value. */
function emptyValue(schema: JsonSchema, root: JsonSchema, ctx: ConversationContext, key: string): unknown {
  if (allowsNull(schema, root)) return null;
  const s = nonNull(schema, root);
  if (s.type === 'array' && !(typeof s.minItems === 'number' && s.minItems > 0)) return [];
  if (s.type === 'string' && !(typeof s.minLength === 'number' && s.minLength > 0) && !s.enum && !s.pattern) return '';
  return instanceFor(s, root, { rng: ctx.rng, counter: ctx.counter }, key, 2);
}

function conversation(s: Shapes, turns: number, agentSteps: number, ctx: ConversationContext): unknown[] {
  const out: unknown[] = [];
  const seq = { n: 0 };
  for (let t = 0; t < turns; t++) {
    out.push(message(s, ctx, 'user', { content: questionText(ctx.rng, ctx.counter) }));
    const usesTools = s.calls.length > 0 && (t === 0 || (s.rich && ctx.rng() < 0.6));
    if (usesTools) {
      const stepCount = s.rich ? between(ctx.rng, 1, Math.min(agentSteps, 2)) : 1;
      for (let step = 0; step < stepCount; step++) out.push(...toolStep(s, ctx, seq));
    }
    out.push(message(s, ctx, 'assistant', { content: answerText(ctx.rng) }));
  }
  return out;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A call id unique in its conversation (`seq` counts the calls so far), in one of the shapes models write. */
function callId(ctx: ConversationContext, seq: number): string {
  // Models write ids in many shapes; the exports normalize them. Mix a few so that normalizing is tested.
  const r = ctx.rng();
  if (r < 0.4) return `call_${ctx.counter}_${between(ctx.rng, 1000, 9999)}${seq}`;
  if (r < 0.7) return `toolu_${Array.from({ length: 12 }, () => pick(ctx.rng, [...ALNUM])).join('')}${seq}`;
  return `call_${seq}`;
}

/** One assistant message with 1..maxParallel tool calls, then one tool message per call. */
function toolStep(s: Shapes, ctx: ConversationContext, seq: { n: number }): unknown[] {
  const parallel = s.rich && ctx.rng() < 0.35 ? between(ctx.rng, 2, Math.max(2, s.maxParallel)) : 1;
  const calls: Array<{ id: string; name: string; args: unknown }> = [];
  const wire: unknown[] = [];
  for (let k = 0; k < Math.min(parallel, s.maxParallel); k++) {
    const shape = pick(ctx.rng, s.calls);
    const id = callId(ctx, ++seq.n);
    const ictx: InstanceContext = { rng: ctx.rng, counter: ctx.counter, nullRate: 0.3, skipOptionalRate: 0.3 };
    const params = s.toolParams.get(shape.name);
    const args = shape.argsSchema
      ? instanceFor(shape.argsSchema, s.root, ictx, '', 0)
      : JSON.stringify(params ? instanceFor(params, params, ictx, '', 0) : { query: phrase(ctx.rng).toLowerCase() });
    calls.push({ id, name: shape.name, args });
    wire.push(callObject(shape, s.root, id, args, ctx));
  }
  const content = s.rich && ctx.rng() < 0.3 ? `Let me check that with ${calls.map((c) => c.name).join(' and ')}.` : '';
  const out: unknown[] = [message(s, ctx, 'assistant', { content, tool_calls: wire }, true)];
  for (const call of calls) {
    const failed = s.rich && ctx.rng() < 0.15;
    const result = failed
      ? { error: `${call.name} failed: no ${phrase(ctx.rng).toLowerCase()} matches the request` }
      : { status: 'ok', result: answerText(ctx.rng, 60, 160) };
    out.push(message(s, ctx, 'tool', { content: JSON.stringify(result), tool_call_id: call.id }));
  }
  return out;
}

function callObject(shape: CallShape, root: JsonSchema, id: string, args: unknown, ctx: ConversationContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields: Record<string, unknown> = { id, type: 'function', name: shape.name, arguments: args };
  for (const [prop, sub] of Object.entries(propsOf(shape.schema))) {
    if (prop === 'function') {
      out.function = { name: shape.name, arguments: args };
    } else if (prop in fields) {
      const allowed = enumOf(sub, root);
      out[prop] = prop === 'type' && allowed.length > 0 ? allowed[0] : fields[prop];
    } else out[prop] = emptyValue(sub, root, ctx, prop);
  }
  return out;
}
