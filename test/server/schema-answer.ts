/**
 * A JSON value valid for a JSON schema, as strict structured output produces one: every required property,
 * optional ones most of the time, arrays within minItems/maxItems, enums and consts, anyOf branches, nulls
 * where the schema allows them (sometimes), numbers within their bounds, strings that read like the field
 * they fill (vocabulary prose, dates, emails, simple regex patterns). Bounds a reduced schema moved into the
 * description ("(minimum 1, maximum 9)", see src/core/kinds/agent-schema.ts) are honoured as a model reading
 * the description would. Conversations (examples with
 * messages) are built on top of this in schema-conversation.ts.
 */
import type { Random } from '../../src/core/random.js';
import { between, pick } from './random.js';
import { answerText, phrase, questionText, reasoningText } from './text.js';
import { NOUNS } from './vocabulary.js';

export type JsonSchema = Record<string, unknown>;

export interface InstanceContext {
  rng: Random;
  counter: number;
  /** Chance of null for a nullable value (0 = never). */
  nullRate?: number;
  /** Chance of leaving out an optional property. */
  skipOptionalRate?: number;
}

const isObject = (v: unknown): v is JsonSchema => !!v && typeof v === 'object' && !Array.isArray(v);

/** Follows `$ref`s (local ones) to the schema they name. */
export function deref(schema: unknown, root: JsonSchema): JsonSchema {
  let current: JsonSchema = isObject(schema) ? schema : {};
  for (let depth = 0; typeof current.$ref === 'string' && depth < 20; depth++) {
    let target: unknown = root;
    for (const part of current.$ref.replace(/^#\/?/, '').split('/').filter(Boolean)) target = isObject(target) ? target[part] : undefined;
    current = isObject(target) ? target : {};
  }
  return current;
}

/** The branches of an anyOf/oneOf (or a type array), each a schema of its own. */
export function branchesOf(s: JsonSchema): JsonSchema[] | null {
  const list = (s.anyOf ?? s.oneOf) as unknown;
  if (Array.isArray(list)) return list.filter(isObject);
  if (Array.isArray(s.type)) return s.type.map((t) => ({ ...s, type: t }));
  return null;
}

export const isNullSchema = (s: JsonSchema, root: JsonSchema) => deref(s, root).type === 'null';

/** Whether `null` is a valid value of the schema. */
export function allowsNull(schema: unknown, root: JsonSchema): boolean {
  const s = deref(schema, root);
  const branches = branchesOf(s);
  return branches ? branches.some((b) => allowsNull(b, root)) : s.type === 'null' || (Array.isArray(s.enum) && s.enum.includes(null));
}

/** The non-null branch of a nullable schema (or the schema itself). */
export function nonNull(schema: unknown, root: JsonSchema): JsonSchema {
  const s = deref(schema, root);
  const branches = branchesOf(s);
  if (!branches) return s;
  const kept = branches.filter((b) => !isNullSchema(b, root));
  return kept.length === 1 ? nonNull(kept[0], root) : { anyOf: kept };
}

export function instanceFor(schema: unknown, root: JsonSchema, ctx: InstanceContext, key = '', depth = 0): unknown {
  const s = deref(schema, root);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return pick(ctx.rng, s.enum);
  const branches = branchesOf(s);
  if (branches && branches.length > 0) {
    const real = branches.filter((b) => !isNullSchema(b, root));
    if (real.length === 0 || (real.length < branches.length && ctx.rng() < (ctx.nullRate ?? 0))) return null;
    return instanceFor(pick(ctx.rng, real), root, ctx, key, depth);
  }
  if (Array.isArray(s.allOf)) return instanceFor(Object.assign({}, ...s.allOf.map((b) => deref(b, root))), root, ctx, key, depth);
  const type = String(s.type ?? (isObject(s.properties) ? 'object' : s.items ? 'array' : 'string'));
  switch (type) {
    case 'object':
      return objectFor(s, root, ctx, depth);
    case 'array': {
      const min = Math.max(typeof s.minItems === 'number' ? s.minItems : 1, described(s, 'at least') ?? 0);
      const max = typeof s.maxItems === 'number' ? s.maxItems : (described(s, 'at most') ?? Math.max(min, 3));
      const n = depth > 8 ? min : between(ctx.rng, min, Math.max(min, Math.min(max, min + 2)));
      const items = Array.from({ length: n }, () => instanceFor(s.items, root, ctx, key, depth + 1));
      return s.uniqueItems ? [...new Set(items.map((i) => JSON.stringify(i)))].map((i) => JSON.parse(i) as unknown) : items;
    }
    case 'integer':
    case 'number':
      return numberFor(s, type, ctx, key);
    case 'boolean':
      return ctx.rng() < 0.5;
    case 'null':
      return null;
    default:
      return stringFor(s, ctx, key);
  }
}

function objectFor(s: JsonSchema, root: JsonSchema, ctx: InstanceContext, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  for (const [prop, sub] of Object.entries(isObject(s.properties) ? s.properties : {})) {
    if (!required.has(prop) && (depth > 8 || ctx.rng() < (ctx.skipOptionalRate ?? 0.25))) continue;
    out[prop] = instanceFor(sub, root, ctx, prop, depth + 1);
  }
  return out;
}

/** A bound written in the description (where a schema reduced for Anthropic keeps it): a model reads those too. */
function described(s: JsonSchema, word: string): number | undefined {
  const match = typeof s.description === 'string' ? new RegExp(`${word} (-?\\d+(?:\\.\\d+)?)`).exec(s.description) : null;
  return match?.[1] ? Number(match[1]) : undefined;
}

function numberFor(s: JsonSchema, type: string, ctx: InstanceContext, key: string): number {
  const step = typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : type === 'integer' ? 1 : 0;
  let min = typeof s.minimum === 'number' ? s.minimum : (described(s, 'minimum') ?? -Infinity);
  let max = typeof s.maximum === 'number' ? s.maximum : (described(s, 'maximum') ?? Infinity);
  if (typeof s.exclusiveMinimum === 'number') min = Math.max(min, s.exclusiveMinimum + (step || 1e-6));
  if (typeof s.exclusiveMaximum === 'number') max = Math.min(max, s.exclusiveMaximum - (step || 1e-6));
  if (min === -Infinity) min = max === Infinity ? (/year/i.test(key) ? 2024 : 1) : max - 100;
  if (max === Infinity) max = /year/i.test(key) ? min + 3 : min + (/count|num|quantity|guests|people|adults|nights/i.test(key) ? 5 : 99);
  if (step) {
    const lo = Math.ceil(min / step);
    const hi = Math.floor(max / step);
    return between(ctx.rng, lo, Math.max(lo, hi)) * step;
  }
  const raw = min + ctx.rng() * (max - min);
  const rounded = Math.round(raw * 100) / 100;
  return rounded >= min && rounded <= max ? rounded : raw;
}

const WORDS_BY_KEY: Array<[RegExp, readonly string[]]> = [
  [/city|destination|origin|location|place/i, ['Lisbon', 'Osaka', 'Denver', 'Nairobi', 'Toronto', 'Seville', 'Hanoi', 'Oslo']],
  [/country/i, ['Portugal', 'Japan', 'Kenya', 'Canada', 'Norway', 'Chile']],
  [/currency/i, ['EUR', 'USD', 'JPY', 'GBP']],
  [/name$/i, ['Maria Lopez', 'Kenji Sato', 'Amara Okafor', 'Liam Walsh', 'Priya Nair']],
];

function stringFor(s: JsonSchema, ctx: InstanceContext, key: string): string {
  if (typeof s.pattern === 'string') {
    const fromPattern = patternString(s.pattern, ctx.rng);
    if (fromPattern !== null) return fromPattern;
  }
  let text: string;
  const day = () => `2027-0${between(ctx.rng, 1, 9)}-${String(between(ctx.rng, 10, 28))}`;
  if (s.format === 'date' || /date$/i.test(key)) text = day();
  else if (s.format === 'date-time') text = `${day()}T${String(between(ctx.rng, 10, 23))}:30:00Z`;
  else if (s.format === 'email' || /email/i.test(key)) text = `${pick(ctx.rng, NOUNS)}.${ctx.counter}@example.com`;
  else if (s.format === 'uri' || /url$/i.test(key)) text = `https://example.com/${pick(ctx.rng, NOUNS)}/${between(ctx.rng, 100, 999)}`;
  else if (/^(content|answer|response|output|completion|text|body|message)$/i.test(key)) text = answerText(ctx.rng);
  else if (/^(question|prompt|instruction|input|query)$/i.test(key)) text = questionText(ctx.rng, ctx.counter);
  else if (/reason|explanation|rationale|thinking/i.test(key)) text = reasoningText(ctx.rng);
  else if (/(^|_)id$/i.test(key)) text = `${pick(ctx.rng, NOUNS).slice(0, 3).toUpperCase()}-${between(ctx.rng, 10000, 99999)}`;
  else {
    const words = WORDS_BY_KEY.find(([re]) => re.test(key))?.[1];
    text = words ? pick(ctx.rng, words) : phrase(ctx.rng);
  }
  const minLength = typeof s.minLength === 'number' ? s.minLength : (described(s, 'at least') ?? 0);
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : described(s, 'at most');
  while (text.length < minLength) text += ` ${phrase(ctx.rng)}`;
  if (maxLength !== undefined && text.length > maxLength) text = text.slice(0, maxLength);
  return text;
}

const CLASSES: Record<string, string> = {
  d: '0123456789',
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  s: ' ',
};

/**
 * A string matching a simple regular expression (literals, escapes, [a-z] classes, \d \w, groups without
 * alternation, quantifiers ? * + {n} {n,m}), or null when the pattern is beyond that: checked against the
 * pattern itself, so it never returns a wrong string.
 */
export function patternString(pattern: string, rng: Random): string | null {
  const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  let out = '';
  let i = 0;
  while (i < body.length) {
    let chars: string;
    const c = body[i] as string;
    if (c === '\\') {
      const e = body[i + 1] ?? '';
      chars = CLASSES[e] ?? e;
      i += 2;
    } else if (c === '[') {
      const end = body.indexOf(']', i + 1);
      if (end < 0 || body[i + 1] === '^') return null;
      chars = expandClass(body.slice(i + 1, end));
      i = end + 1;
    } else if ('()|.^$'.includes(c)) {
      return null;
    } else {
      chars = c;
      i++;
    }
    let [min, max] = [1, 1];
    const q = /^(\{(\d+)(,(\d*))?\}|\?|\*|\+)/.exec(body.slice(i));
    if (q) {
      i += q[0].length;
      if (q[0] === '?') [min, max] = [0, 1];
      else if (q[0] === '*') [min, max] = [0, 3];
      else if (q[0] === '+') [min, max] = [1, 3];
      else {
        min = Number(q[2]);
        max = q[3] === undefined ? min : q[4] ? Number(q[4]) : min + 3;
      }
    }
    const n = between(rng, min, max);
    for (let k = 0; k < n; k++) out += chars.charAt(Math.floor(rng() * chars.length));
  }
  try {
    return new RegExp(pattern).test(out) ? out : null;
  } catch {
    return null;
  }
}

function expandClass(spec: string): string {
  let chars = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i] as string;
    if (c === '\\') {
      const e = spec[++i] ?? '';
      chars += CLASSES[e] ?? e;
    } else if (spec[i + 1] === '-' && i + 2 < spec.length) {
      for (let code = c.charCodeAt(0); code <= spec.charCodeAt(i + 2); code++) chars += String.fromCharCode(code);
      i += 2;
    } else chars += c;
  }
  return chars || 'x';
}
