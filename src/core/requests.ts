/**
 * The requests a session sends, built in one place: a sample request for a group of slots and a topic
 * expansion request for one node. Each carries the config's sampling settings, the schema (with the exact
 * example count), and the facts the offline demo provider answers from.
 */
import type { Config } from './config.js';
import { kindOf, SAMPLE_SCHEMA_NAME, wireAnswerSchema } from './kinds/index.js';
import type { GenerateRequest } from './provider.js';
import { samplePrompt, TOPIC_SCHEMA_NAME, TopicListSchema, topicPrompt, toWireSchema } from './prompts.js';
import type { SchemaDialect } from './kinds/types.js';
import type { SlotSpec, Usage } from './types.js';

const TOPIC_WIRE_SCHEMA = toWireSchema(TopicListSchema);

export type Feedback = { role: 'user' | 'assistant'; content: string }[];

/** A request plus what the limiter and the ledger need to know about it before it is answered. */
export interface PreparedRequest {
  request: GenerateRequest;
  /** Tokens expected (prompt estimate + a share of the output cap), for pacing. */
  estimateTokens: number;
  /** What the request is booked at when the server's usage cannot be trusted: at most one token per
   * character of prompt in, the whole output cap out. */
  worstCase: Usage;
}

function sampling(config: Config): Pick<GenerateRequest, 'temperature' | 'topP'> {
  const { temperature, top_p: topP } = config.provider;
  return { ...(temperature !== null ? { temperature } : {}), ...(topP !== null ? { topP } : {}) };
}

export function prepare(request: GenerateRequest): PreparedRequest {
  const chars = request.system.length + (request.cachePrefix?.length ?? 0) + request.messages.reduce((n, m) => n + m.content.length, 0);
  return {
    request,
    estimateTokens: Math.ceil(chars / 4) + Math.ceil(request.maxOutputTokens / 3),
    worstCase: { input_tokens: chars, output_tokens: request.maxOutputTokens },
  };
}

/** `dialect`: the provider's structured-output rules (Provider.dialect), which the kind's wire schema follows. */
const kindSchemas = new WeakMap<Config, Map<string, Record<string, unknown>>>();

/** A kind's own wire schema (the agent kind's carries every tool's parameters), built once per config, count and dialect. */
function kindWireSchema(config: Config, count: number, dialect: SchemaDialect): Record<string, unknown> {
  let cache = kindSchemas.get(config);
  if (!cache) kindSchemas.set(config, (cache = new Map()));
  const key = `${count}:${dialect}`;
  let schema = cache.get(key);
  if (!schema) cache.set(key, (schema = kindOf(config).wireSchema!(config, count, dialect)));
  return schema;
}

export function sampleRequest(config: Config, slots: SlotSpec[], maxOutputTokens: number, feedback: Feedback = [], dialect: SchemaDialect = 'generic'): PreparedRequest {
  const prompt = samplePrompt(config, slots);
  const kind = kindOf(config);
  return prepare({
    system: prompt.system,
    messages: [{ role: 'user', content: prompt.user }, ...feedback],
    schema: kind.wireSchema ? kindWireSchema(config, slots.length, dialect) : wireAnswerSchema(config, slots.length),
    schemaName: SAMPLE_SCHEMA_NAME,
    maxOutputTokens,
    ...sampling(config),
    facts: { stage: 'samples', kind: kind.type, slots, tools: config.conversation.tools },
  });
}

/** The output cap of one topic expansion request. */
export function topicMaxTokens(config: Config): number {
  return Math.max(512, config.topics.degree * 40 + 200);
}

export function topicRequest(config: Config, path: string[], siblings: string[], feedback: Feedback = []): PreparedRequest {
  const { system, user } = topicPrompt(config, path, siblings, config.topics.degree);
  return prepare({
    system,
    messages: [{ role: 'user', content: user }, ...feedback],
    schema: TOPIC_WIRE_SCHEMA,
    schemaName: TOPIC_SCHEMA_NAME,
    maxOutputTokens: topicMaxTokens(config),
    ...sampling(config),
    facts: { stage: 'topics', parent: path[path.length - 1] ?? config.domain, count: config.topics.degree, root: path.length === 0 },
  });
}
