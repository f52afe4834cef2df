/** The dataset kinds by type, and the answer schema every kind's examples are asked for in. */
import { z } from 'zod';
import type { Config } from '../config.js';
import type { DatasetType } from '../types.js';
import { agentKind } from './agent.js';
import { basicKind } from './basic.js';
import { groundedKind } from './grounded.js';
import { reasoningKind } from './reasoning.js';
import type { DatasetKind, GeneratedExample } from './types.js';

export type { DatasetKind, GeneratedExample, KindProblem, Mapped } from './types.js';
export { toolNamesOf } from './agent.js';

const KINDS: Record<DatasetType, DatasetKind> = { basic: basicKind, reasoning: reasoningKind, agent: agentKind };

/** The one place a run's kind is chosen: a config with `sources` is grounded (question-answer pairs on its chunks). */
export function kindOf(config: Config | DatasetType | 'grounded'): DatasetKind {
  if (config === 'grounded' || (typeof config !== 'string' && config.sources.length > 0)) return groundedKind;
  return KINDS[typeof config === 'string' ? config : config.conversation.type];
}

export const SAMPLE_SCHEMA_NAME = 'examples';

/** The answer: `{examples: [...]}`, each example in the kind's schema. */
export function answerSchema(config: Config): z.ZodType<{ examples: GeneratedExample[] }> {
  return z.strictObject({ examples: z.array(kindOf(config).exampleSchema(config)) });
}

/** JSON schema for the wire: zod's output minus the `$schema` key some servers reject. */
export function toWireSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/**
 * The wire schema of an answer holding exactly `count` examples: the count is part of the schema
 * (minItems/maxItems), so a strict server cannot return more than was asked for and paid for. Providers
 * whose structured output lacks these keywords drop them; the count stage checks the answer either way.
 */
export function wireAnswerSchema(config: Config, count: number): Record<string, unknown> {
  // Built once per config and count: building a zod schema and its JSON form costs more than the rest of a
  // request's preparation (the engine asks for one per request).
  let byCount = wireCache.get(config);
  if (!byCount) wireCache.set(config, (byCount = new Map()));
  let schema = byCount.get(count);
  if (!schema) {
    schema = toWireSchema(answerSchema(config));
    const props = schema.properties as Record<string, Record<string, unknown>>;
    props.examples = { ...props.examples, minItems: count, maxItems: count };
    byCount.set(count, schema);
  }
  return schema;
}

const wireCache = new WeakMap<Config, Map<number, Record<string, unknown>>>();
