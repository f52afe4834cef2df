/**
 * Anthropic's structured output takes a subset of JSON Schema (reference.md): no numeric bounds, no string
 * lengths, no maxItems, minItems only 0 or 1. Core writes one full schema for every provider (the example
 * count as minItems/maxItems, say); this reduces it for Anthropic, whose answers the parse stage checks
 * against the full rules anyway.
 */
const DROPPED = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'maxItems']);

export function anthropicSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anthropicSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (DROPPED.has(key)) continue;
    if (key === 'minItems' && typeof value === 'number' && value > 1) continue;
    // `properties` maps names to schemas: its keys are names, not keywords, so they are all kept.
    out[key] = key === 'properties' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, anthropicSchema(v)])) : anthropicSchema(value);
  }
  return out;
}
