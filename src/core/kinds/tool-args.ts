/**
 * Tool-call checks for the agent kind: a call names a configured tool and its arguments are valid against
 * that tool's full JSON schema (ajv 8), whatever subset of the schema structured output could carry.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ToolDefinition } from '../types.js';

/** A call as the wire carries it (`function: {name, arguments: string}`) or as an answer schema does (`name`, object `arguments`). */
export type AnyToolCall =
  | { function: { name: string; arguments: string | Record<string, unknown> } }
  | { name: string; arguments: string | Record<string, unknown> };

export type ToolCallCheck = { ok: true; arguments: Record<string, unknown> } | { ok: false; message: string };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: false, strict: false, logger: false }));
const compiled = new WeakMap<object, ValidateFunction | Error>();

function validatorFor(parameters: Record<string, unknown>): ValidateFunction | Error {
  let found = compiled.get(parameters);
  if (!found) {
    const { $schema: _ignored, ...schema } = parameters;
    try {
      found = ajv.compile(schema);
    } catch (err) {
      found = new Error(err instanceof Error ? err.message : String(err));
    }
    compiled.set(parameters, found);
  }
  return found;
}

/** Checks one tool call against the configured tools: a known name, JSON-object arguments valid for its schema. */
export function validateToolCall(call: AnyToolCall, tools: readonly ToolDefinition[]): ToolCallCheck {
  const name = 'function' in call ? call.function.name : call.name;
  const raw = 'function' in call ? call.function.arguments : call.arguments;
  const tool = tools.find((t) => t.function.name === name);
  if (!tool) {
    const known = tools.map((t) => t.function.name).join(', ') || 'none';
    return { ok: false, message: `tool call names "${String(name)}", which is not a configured tool (configured: ${known})` };
  }
  let args: unknown = raw;
  if (typeof raw === 'string') {
    try {
      args = JSON.parse(raw);
    } catch {
      return { ok: false, message: `${name}: arguments are not valid JSON` };
    }
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) return { ok: false, message: `${name}: arguments must be a JSON object` };
  const parameters = tool.function.parameters;
  if (!parameters) return { ok: true, arguments: args as Record<string, unknown> };
  args = withoutOptionalNulls(args, parameters, parameters);
  const validate = validatorFor(parameters);
  if (validate instanceof Error) return { ok: false, message: `${name}: the tool's parameter schema does not compile: ${validate.message}` };
  if (validate(args)) return { ok: true, arguments: args as Record<string, unknown> };
  return { ok: false, message: `${name}: ${ajv.errorsText(validate.errors, { dataVar: 'arguments' })}` };
}

/**
 * OpenAI strict mode spells an optional property as a nullable one, so a `null` there means "left out":
 * drops nulls of properties the tool's own schema does not require and does not allow to be null
 * (recursively, through nested objects and arrays). Returns a copy.
 */
export function withoutOptionalNulls(value: unknown, schema: unknown, root: Record<string, unknown>, depth = 0): unknown {
  const s = deref(schema, root);
  if (depth > 32 || !s) return value;
  if (Array.isArray(value)) return value.map((v) => withoutOptionalNulls(v, s.items, root, depth + 1));
  if (!value || typeof value !== 'object') return value;
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null && !required.has(key) && key in props && !acceptsNull(props[key], root)) continue;
    out[key] = key in props ? withoutOptionalNulls(v, props[key], root, depth + 1) : v;
  }
  return out;
}

function deref(schema: unknown, root: Record<string, unknown>): Record<string, unknown> | null {
  let s = schema && typeof schema === 'object' ? (schema as Record<string, unknown>) : null;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 20; i++) {
    let target: unknown = root;
    for (const part of s.$ref.replace(/^#\/?/, '').split('/').filter(Boolean)) target = (target as Record<string, unknown> | undefined)?.[part];
    s = target && typeof target === 'object' ? (target as Record<string, unknown>) : null;
  }
  return s;
}

function acceptsNull(schema: unknown, root: Record<string, unknown>): boolean {
  const s = deref(schema, root);
  if (!s || (s.type === undefined && !s.enum && !s.anyOf && !s.oneOf && !('const' in s))) return true;
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  if (Array.isArray(s.enum) && s.enum.includes(null)) return true;
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  return Array.isArray(branches) && branches.some((b) => acceptsNull(b, root));
}

/** The first problem with a tool-parameter schema (does not compile), or null: for config checks. */
export function toolSchemaProblem(tool: ToolDefinition): string | null {
  const parameters = tool.function.parameters;
  if (!parameters) return null;
  const validate = validatorFor(parameters);
  return validate instanceof Error ? `tool "${tool.function.name}": parameters is not a valid JSON schema: ${validate.message}` : null;
}
