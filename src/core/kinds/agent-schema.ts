/**
 * The answer schema of the agent kind, built so that a strict structured-output server accepts it and its
 * answers carry real tool calls: each tool is a call variant whose `arguments` is that tool's parameter
 * schema (reduced to what the provider's structured output supports; the full schema is checked locally
 * with ajv by tool-args.ts), `tool_calls`/`tool_call_id` are nullable (null on messages that have none),
 * and the example count is exact where the provider allows minItems/maxItems.
 *
 * Dialects (docs/reference.md, "Structured-output schema rules"):
 * - `openai`: strict json_schema. Every object lists all properties in `required`, optional ones become
 *   nullable; numbers keep minimum/maximum, arrays minItems/maxItems; string lengths are dropped.
 * - `anthropic`: output_config.format. No numeric bounds, string lengths, maxItems, minItems above 1;
 *   optional properties stay optional; at most 16 union-typed parameters (checked: AgentSchemaError).
 * - `generic`: the full schema (for servers without strict rules; json_object prompts).
 * Dropped constraints are appended to the field's description, so the model still reads them.
 */
import type { ToolDefinition } from '../types.js';

export type SchemaDialect = 'openai' | 'anthropic' | 'generic';
type Schema = Record<string, unknown>;

export interface AgentSchemaOptions {
  /** Examples per request: the answer must hold exactly this many. */
  examples: number;
  dialect: SchemaDialect;
  /** Ask for `reasoning` on each message (null on non-assistant turns): the reasoning kind on agents. */
  reasoning?: boolean;
}

export class AgentSchemaError extends Error {}

/** Anthropic refuses schemas with more union-typed (anyOf / type array) parameters than this. */
export const ANTHROPIC_MAX_UNIONS = 16;

const isObject = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);
const NULL: Schema = { type: 'null' };

const strictObject = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

/** Keywords each dialect keeps; the rest are dropped (bounds are described in text). */
const KEEP: Record<SchemaDialect, ReadonlySet<string>> = {
  openai: new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'description', 'title', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'pattern', 'format']),
  anthropic: new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'description', 'title', 'pattern', 'format', 'minItems']),
  generic: new Set(),
};

const DESCRIBE: Record<string, (v: unknown) => string> = {
  minimum: (v) => `minimum ${String(v)}`,
  maximum: (v) => `maximum ${String(v)}`,
  exclusiveMinimum: (v) => `greater than ${String(v)}`,
  exclusiveMaximum: (v) => `less than ${String(v)}`,
  multipleOf: (v) => `a multiple of ${String(v)}`,
  minLength: (v) => `at least ${String(v)} characters`,
  maxLength: (v) => `at most ${String(v)} characters`,
  minItems: (v) => `at least ${String(v)} items`,
  maxItems: (v) => `at most ${String(v)} items`,
  default: (v) => `default ${JSON.stringify(v)}`,
};

/**
 * A tool's parameter schema reduced to what `dialect`'s structured output accepts ($refs inlined, oneOf as
 * anyOf, allOf merged). Throws AgentSchemaError for a recursive schema (no structured output carries one).
 */
export function reduceToolSchema(parameters: Schema | undefined, dialect: SchemaDialect): Schema {
  const root = parameters ?? { type: 'object', properties: {} };
  const { $schema: _ignored, ...rest } = root;
  if (dialect === 'generic') return rest;
  const reduced = reduce(rest, root, dialect, []);
  return reduced.type === 'object' ? reduced : strictObject({ value: reduced });
}

function lookup(root: Schema, ref: string): Schema {
  let target: unknown = root;
  for (const part of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) target = isObject(target) ? target[part] : undefined;
  if (!isObject(target)) throw new AgentSchemaError(`tool schema reference ${ref} cannot be resolved`);
  return target;
}

function reduce(input: Schema, root: Schema, dialect: SchemaDialect, refs: string[]): Schema {
  let s = input;
  if (typeof s.$ref === 'string') {
    if (refs.includes(s.$ref)) throw new AgentSchemaError(`tool schema is recursive (${s.$ref}): structured output cannot carry it`);
    return reduce({ ...lookup(root, s.$ref), ...(s.description ? { description: s.description } : {}) }, root, dialect, [...refs, s.$ref]);
  }
  if (Array.isArray(s.allOf)) {
    const { allOf, ...own } = s;
    s = Object.assign({}, ...(allOf as Schema[]), own) as Schema;
  }
  if (Array.isArray(s.oneOf) && !s.anyOf) {
    const { oneOf, ...own } = s;
    s = { ...own, anyOf: oneOf };
  }
  const keep = KEEP[dialect];
  const out: Schema = {};
  const notes: string[] = [];
  for (const [key, value] of Object.entries(s)) {
    if (key === 'minItems' && dialect === 'anthropic' && typeof value === 'number' && value > 1) {
      out.minItems = 1;
      notes.push(DESCRIBE.minItems!(value));
    } else if (keep.has(key)) out[key] = value;
    else if (DESCRIBE[key]) notes.push(DESCRIBE[key](value));
  }
  if (notes.length > 0) out.description = [out.description, `(${notes.join(', ')})`].filter(Boolean).join(' ');
  if (Array.isArray(out.anyOf)) out.anyOf = (out.anyOf as Schema[]).map((b) => reduce(b, root, dialect, refs));
  if (isObject(out.items)) out.items = reduce(out.items, root, dialect, refs);
  const isObjectType = out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object')) || isObject(out.properties);
  if (isObjectType) {
    const props = isObject(out.properties) ? (out.properties as Record<string, Schema>) : {};
    const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
    const next: Record<string, Schema> = {};
    for (const [name, sub] of Object.entries(props)) {
      const r = reduce(sub, root, dialect, refs);
      next[name] = dialect === 'openai' && !required.has(name) ? nullable(r) : r;
    }
    out.properties = next;
    out.additionalProperties = false;
    out.required = dialect === 'openai' ? Object.keys(next) : [...required].filter((k) => k in next);
    if (out.type === undefined) out.type = 'object';
  }
  return out;
}

/** The schema, also accepting null (OpenAI strict's spelling of an optional property). */
export function nullable(s: Schema): Schema {
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).some((b) => b.type === 'null') ? s : { ...s, anyOf: [...(s.anyOf as Schema[]), NULL] };
  if (typeof s.type === 'string' && !Array.isArray(s.enum) && !('const' in s)) return s.type === 'null' ? s : { ...s, type: [s.type, 'null'] };
  if (Array.isArray(s.type)) return s.type.includes('null') ? s : { ...s, type: [...s.type, 'null'] };
  const { description, ...rest } = s;
  return { ...(description ? { description } : {}), anyOf: [rest, NULL] };
}

/** Union-typed parameters (anyOf or type arrays), as Anthropic counts them. */
export function countUnions(s: unknown): number {
  if (Array.isArray(s)) return s.reduce((n: number, v) => n + countUnions(v), 0);
  if (!isObject(s)) return 0;
  let n = Array.isArray(s.anyOf) || Array.isArray(s.type) ? 1 : 0;
  for (const [key, value] of Object.entries(s)) {
    if (key === 'properties' && isObject(value)) n += Object.values(value).reduce((m: number, v) => m + countUnions(v), 0);
    else if (key === 'items' || key === 'anyOf') n += countUnions(value);
  }
  return n;
}

/** One tool-call variant: id, the tool's name, its (reduced) parameter schema as `arguments`. */
function callVariant(tool: ToolDefinition, dialect: SchemaDialect): Schema {
  return strictObject({
    id: { type: 'string', description: 'A call id, unique in the conversation' },
    name: { type: 'string', enum: [tool.function.name] },
    arguments: reduceToolSchema(tool.function.parameters, dialect),
  });
}

/** The answer schema for one agent request: `{examples: [{messages: [...]}]}` with exactly `opts.examples` examples. */
export function agentAnswerSchema(tools: ToolDefinition[], opts: AgentSchemaOptions): Record<string, unknown> {
  if (tools.length === 0) throw new AgentSchemaError('conversation.tools is empty: an agent dataset needs at least one tool');
  const { dialect } = opts;
  const variants = tools.map((t) => callVariant(t, dialect));
  const callItem = variants.length === 1 ? (variants[0] as Schema) : { anyOf: variants };
  const callsArray: Schema = { type: 'array', items: callItem, minItems: 1 };
  const properties: Record<string, Schema> = {
    role: { type: 'string', enum: ['user', 'assistant', 'tool'] },
    content: { type: 'string', description: 'The text of the turn; "" on an assistant turn that only calls tools; the result on a tool turn' },
    tool_calls: { anyOf: [callsArray, NULL], description: 'Assistant tool calls; null on every other message' },
    tool_call_id: { anyOf: [{ type: 'string' }, NULL], description: 'On a tool message, the id of the call it answers; null otherwise' },
  };
  if (opts.reasoning) properties.reasoning = { anyOf: [{ type: 'string' }, NULL], description: 'The assistant reasoning before this turn; null on user and tool turns' };
  const message = strictObject(properties);
  const example = strictObject({ messages: { type: 'array', items: message, minItems: 1 } });
  const count = Math.max(1, Math.floor(opts.examples));
  const examples: Schema = { type: 'array', items: example };
  if (dialect === 'anthropic') examples.minItems = 1;
  else Object.assign(examples, { minItems: count, maxItems: count });
  const schema = strictObject({ examples });
  if (dialect === 'anthropic') {
    const unions = countUnions(schema);
    if (unions > ANTHROPIC_MAX_UNIONS) {
      throw new AgentSchemaError(
        `the tools' parameter schemas need ${unions} union-typed parameters in the answer schema; Anthropic accepts at most ${ANTHROPIC_MAX_UNIONS}: simplify optional/anyOf parameters or use fewer tools per dataset`,
      );
    }
  }
  return schema;
}

/** Whether the dialect fixes the example count in the schema (else a check must reject extra examples). */
export function schemaFixesCount(dialect: SchemaDialect): boolean {
  return dialect !== 'anthropic';
}
