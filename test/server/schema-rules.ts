/**
 * The structured-output schema rules the real APIs enforce (docs/reference.md, "Structured-output schema
 * rules"): a request whose schema breaks one gets a 400 there, so it gets one here too.
 * - `openai`: strict `json_schema` response formats and strict function tools. The root is an object; every
 *   object has `additionalProperties: false` and lists every property in `required`.
 * - `anthropic`: `output_config.format` json_schema (and strict tools). Every object has
 *   `additionalProperties: false`; no numeric bounds, string lengths, `maxItems`, `minItems` above 1, no
 *   recursion; at most 16 properties whose schema uses `anyOf` or a type array.
 */
export type SchemaDialect = 'openai' | 'anthropic';

export interface Violation {
  /** Where in the schema, as the real APIs write it: `'examples', 'items', 'messages'` (empty at the root). */
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;

const ANTHROPIC_UNSUPPORTED = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'maxItems'];
/** Anthropic counts properties using union types; above this the request is refused. */
export const ANTHROPIC_MAX_UNION_PARAMETERS = 16;

const isObject = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);
const join = (path: string, part: string) => (path ? `${path}, '${part}'` : `'${part}'`);

function describesObject(s: Schema): boolean {
  return s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object')) || isObject(s.properties);
}

/** Every violation of `dialect`'s rules in `schema` (empty when the API would accept it). */
export function schemaViolations(schema: unknown, dialect: SchemaDialect): Violation[] {
  const out: Violation[] = [];
  if (!isObject(schema)) return [{ path: '', message: 'schema must be a JSON object' }];
  if (dialect === 'openai' && (schema.type !== 'object' || 'anyOf' in schema)) {
    out.push({ path: '', message: "Root schema must be of type 'object' and must not use 'anyOf'." });
  }
  const unions = { count: 0 };
  walk(schema, schema, '', dialect, out, unions, []);
  if (dialect === 'anthropic' && unions.count > ANTHROPIC_MAX_UNION_PARAMETERS) {
    out.push({
      path: '',
      message: `Schemas contains too many parameters with union types (${unions.count} parameters with type arrays or anyOf). This may cause excessive compilation time. Reduce the number of parameters with union types to ${ANTHROPIC_MAX_UNION_PARAMETERS} or fewer.`,
    });
  }
  return out;
}

function walk(s: Schema, root: Schema, path: string, dialect: SchemaDialect, out: Violation[], unions: { count: number }, refs: string[]): void {
  if (typeof s.$ref === 'string') {
    const ref = s.$ref;
    if (refs.includes(ref)) {
      if (dialect === 'anthropic') out.push({ path, message: `Recursive schemas are not supported (${ref} refers to itself).` });
      return;
    }
    const target = lookup(root, ref);
    if (!target) out.push({ path, message: `Reference ${ref} can't be resolved.` });
    else walk(target, root, path, dialect, out, unions, [...refs, ref]);
    return;
  }
  if (describesObject(s)) {
    if (s.additionalProperties !== false) {
      out.push({ path, message: `In context=(${path}), 'additionalProperties' is required to be supplied and to be false.` });
    }
    if (dialect === 'openai') {
      const required = Array.isArray(s.required) ? s.required : [];
      for (const key of Object.keys(isObject(s.properties) ? s.properties : {})) {
        if (!required.includes(key)) {
          out.push({ path, message: `In context=(${path}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${key}'.` });
          break;
        }
      }
    }
  }
  if (dialect === 'anthropic') {
    const type = Array.isArray(s.type) ? 'union' : String(s.type ?? 'schema');
    for (const key of ANTHROPIC_UNSUPPORTED) {
      if (key in s) out.push({ path, message: `For '${type}' type, property '${key}' is not supported` });
    }
    if ('minItems' in s && s.minItems !== 0 && s.minItems !== 1) {
      out.push({ path, message: `For 'array' type, 'minItems' values other than 0 or 1 are not supported` });
    }
    if (Array.isArray(s.type) || Array.isArray(s.anyOf)) unions.count++;
  }
  const children: Array<[string, unknown]> = [];
  if (isObject(s.properties)) for (const [k, v] of Object.entries(s.properties)) children.push([k, v]);
  if ('items' in s) children.push(['items', s.items]);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[key])) for (const v of s[key] as unknown[]) children.push([key, v]);
  }
  for (const [part, child] of children) {
    if (isObject(child)) walk(child, root, join(path, part), dialect, out, unions, refs);
  }
  // Definitions are checked where they are used (through $ref), as the APIs do.
}

function lookup(root: Schema, ref: string): Schema | null {
  if (!ref.startsWith('#')) return null;
  let target: unknown = root;
  for (const part of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return isObject(target) ? target : null;
}
