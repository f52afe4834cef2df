/**
 * Arguments for the offline demo provider's tool calls that are valid for the tool's parameter schema:
 * required properties only, enums and consts, numeric bounds, date/date-time/email formats, array
 * minItems, nested objects, and simple patterns (literals, character classes, {n} / {n,m} / + / ?
 * quantifiers; anchors). Demo data only: real calls come from the model and are checked with ajv.
 */
import { NOUNS, num, pick } from './demo-text.js';

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);

function fromPattern(pattern: string, rand: () => number): string {
  let out = '';
  const src = pattern.replace(/^\^/, '').replace(/\$$/, '');
  for (let i = 0; i < src.length; ) {
    let choices: string[];
    if (src[i] === '[') {
      const end = src.indexOf(']', i);
      const body = src.slice(i + 1, end);
      choices = [];
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-' && body[k + 2]) {
          for (let c = body.charCodeAt(k); c <= body.charCodeAt(k + 2); c++) choices.push(String.fromCharCode(c));
          k += 2;
        } else choices.push(body[k] as string);
      }
      i = end + 1;
    } else if (src[i] === '\\') {
      const c = src[i + 1];
      choices = c === 'd' ? [...'0123456789'] : c === 'w' ? [...'abcxyz019'] : [c as string];
      i += 2;
    } else {
      choices = [src[i] as string];
      i++;
    }
    let times = 1;
    const q = /^\{(\d+)(?:,(\d*))?\}|^[+*?]/.exec(src.slice(i));
    if (q) {
      times = q[0] === '+' ? 2 : q[0] === '*' ? 1 : q[0] === '?' ? 1 : Number(q[1]);
      i += q[0].length;
    }
    for (let t = 0; t < times; t++) out += pick(rand, choices);
  }
  return out;
}

export function demoValue(schema: unknown, rand: () => number, depth = 0): unknown {
  const s = isObject(schema) ? schema : {};
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const branches = (s.anyOf ?? s.oneOf) as unknown;
  if (Array.isArray(branches) && branches.length > 0) return demoValue(branches.find((b) => isObject(b) && b.type !== 'null') ?? branches[0], rand, depth);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'object' || isObject(s.properties)) {
    const props = isObject(s.properties) ? s.properties : {};
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    const out: Record<string, unknown> = {};
    for (const key of required) if (key in props && depth < 6) out[key] = demoValue(props[key], rand, depth + 1);
    return out;
  }
  if (type === 'array') {
    const n = typeof s.minItems === 'number' ? s.minItems : 1;
    return Array.from({ length: n }, () => demoValue(s.items, rand, depth + 1));
  }
  if (type === 'integer' || type === 'number') {
    const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 1;
    const max = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - 1 : min + 99;
    return Math.ceil(min) + (Math.max(0, Math.floor(max) - Math.ceil(min)) > 0 ? num(rand) % (Math.floor(max) - Math.ceil(min) + 1) : 0);
  }
  if (type === 'boolean') return true;
  if (type === 'null') return null;
  if (typeof s.pattern === 'string') return fromPattern(s.pattern, rand);
  if (s.format === 'date') return `2026-0${1 + (num(rand) % 9)}-1${num(rand) % 10}`;
  if (s.format === 'date-time') return `2026-05-1${num(rand) % 10}T10:00:00Z`;
  if (s.format === 'email') return `user${num(rand)}@example.com`;
  let text = `${pick(rand, NOUNS)} ${num(rand)}`;
  if (typeof s.maxLength === 'number') text = text.slice(0, s.maxLength);
  if (typeof s.minLength === 'number') text = text.padEnd(s.minLength, 'x');
  return text;
}
