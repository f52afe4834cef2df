/**
 * SPEC 3: the requirements config. One zod schema is the single source of the keys, their defaults and
 * their validation; unknown keys are errors that name the key.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { checkQualityConfig, QualitySchema } from './quality/config.js';
import { MAX_CONFIG_BYTES, parseYamlText, readTextFile } from './yaml-file.js';

export const PROVIDER_NAMES = ['openai', 'anthropic', 'openai-compatible', 'demo'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const EXPORT_FORMATS = ['openai', 'alpaca', 'sharegpt', 'trl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const ToolSchema = z.strictObject({
  type: z.literal('function').default('function'),
  function: z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** SPEC 11: an MCP server supplying tools (and executing them when tool_results is execute). */
export const ToolsFromSchema = z.union([
  z.strictObject({ command: z.array(nonEmpty).min(1, 'give the program and its arguments, e.g. [node, server.js]') }),
  z.strictObject({ url: z.string().url('must be a URL such as http://localhost:3000/mcp') }),
]);
export type ToolsFrom = z.output<typeof ToolsFromSchema>;

const CategorySchema = z.strictObject({
  name: nonEmpty,
  weight: z.number().positive('must be greater than 0').default(1),
});

const SplitsSchema = z
  .strictObject({
    train: z.number().min(0).max(1),
    validation: z.number().min(0).max(1).default(0),
    test: z.number().min(0).max(1).default(0),
  })
  .refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-6, {
    message: 'train + validation + test must add up to 1',
  })
  .refine((s) => s.train > 0, { message: 'train must be greater than 0', path: ['train'] });

export const PROVIDER_MODES = ['live', 'batch'] as const;
export type ProviderMode = (typeof PROVIDER_MODES)[number];

export const ProviderSchema = z.strictObject({
  name: z.enum(PROVIDER_NAMES).default('openai'),
  model: nonEmpty.default('gpt-4.1-mini'),
  base_url: z.string().url('must be a URL such as http://localhost:11434/v1').nullable().default(null),
  concurrency: z.number().int().min(1).max(1024).default(8),
  rpm: z.number().positive().nullable().default(null),
  tpm: z.number().positive().nullable().default(null),
  samples_per_call: z.number().int().min(1).max(20).default(1),
  max_retries: z.number().int().min(0).max(20).default(4),
  timeout_s: z.number().positive().max(3600).default(120),
  /** Longest answer asked for, in tokens. Null: chosen from response_length and samples_per_call. */
  max_output_tokens: z.number().int().positive().nullable().default(null),
  /**
   * USD per 1M tokens, for a model the price table does not know (or to override it). Cached input
   * (`cached_input`: a cache read; `cache_write`: Anthropic's 5-minute cache write) is priced at `input`
   * when not given.
   */
  price: z
    .strictObject({
      input: z.number().min(0),
      output: z.number().min(0),
      cached_input: z.number().min(0).optional(),
      cache_write: z.number().min(0).optional(),
    })
    .nullable()
    .default(null),
  /** `batch`: sample requests go through the provider batch APIs (SPEC 10, docs/batch.md) at the batch price;
   * topic expansion stays live. The price follows what was really sent. */
  mode: z.enum(PROVIDER_MODES).default('live'),
  /** Batch mode: fewer lines per batch than the provider allows (more, smaller batches). Null: the provider's limit. */
  batch_max_lines: z.number().int().min(1).max(100_000).nullable().default(null),
  /** Batch mode: first delay between two polls of a batch, seconds (it grows while nothing changes, to 12x). */
  batch_poll_s: z.number().positive().max(3600).default(5),
  /** Sampling settings; null = the provider's default. Refused where the provider or model rejects them. */
  temperature: z.number().min(0).max(2).nullable().default(null),
  top_p: z.number().gt(0, 'must be greater than 0').max(1).nullable().default(null),
}).superRefine((p, ctx) => {
  // Only OpenAI and Anthropic have a batch API (docs/batch.md).
  if (p.mode === 'batch' && p.name !== 'openai' && p.name !== 'anthropic') {
    ctx.addIssue({ code: 'custom', path: ['mode'], message: `batch needs provider openai or anthropic; ${p.name} has no batch API (use mode: live)` });
  }
  for (const key of ['temperature', 'top_p'] as const) {
    if (p[key] === null) continue;
    const problem = samplingRefusal(p.name, p.model);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
  }
});

/** OpenAI's reasoning models (o1, o3, o4-mini, gpt-5 family) accept only the default sampling settings. */
const OPENAI_REASONING_MODEL = /^(o\d|gpt-5)/;

/**
 * Why a provider/model refuses temperature and top_p, or null when it takes them: Anthropic's current API
 * version rejects them with a 400 even at default values (reference.md); so do OpenAI reasoning models.
 */
export function samplingRefusal(name: string, model: string): string | null {
  if (name === 'anthropic') return "Anthropic's current API rejects temperature and top_p: remove the key (diversity comes from the prompts)";
  if (name === 'openai' && OPENAI_REASONING_MODEL.test(model)) return `the OpenAI reasoning model "${model}" accepts only the default: remove the key`;
  return null;
}
export { ExamplesSchema, GROUNDING_CONTEXTS, GROUNDING_STRATEGIES, GroundingSchema, SourceSchema, type GroundingContext, type GroundingStrategy } from './config-grounding.js';
import { ExamplesSchema, GroundingSchema, SourceSchema } from './config-grounding.js';

export const ConfigSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'use letters, digits, dot, dash or underscore (a directory name)'),
  task: nonEmpty,
  domain: nonEmpty,
  instructions: z.string().default(''),
  size: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
  tone: nonEmpty.default('professional'),
  response_length: z.enum(['short', 'medium', 'long']).default('medium'),
  audience: z.array(nonEmpty).min(1).default(['beginner', 'intermediate', 'expert']),
  complexity: z.enum(['simple', 'mixed', 'complex']).default('mixed'),
  edge_cases: z.boolean().default(true),
  negatives: z.boolean().default(false),
  special_formats: z.array(nonEmpty).default([]),
  system_prompt: z.string().nullable().optional(),
  conversation: z
    .strictObject({
      type: z.enum(['basic', 'reasoning', 'agent']).default('basic'),
      multi_turn: z.number().min(0).max(1).default(0.3),
      max_turns: z.number().int().min(1).max(20).default(4),
      tools: z.array(ToolSchema).default([]),
      /** SPEC 11: an MCP server supplying the tools: {command: [PROGRAM, ARGS...]} or {url: URL}. */
      tools_from: ToolsFromSchema.nullable().default(null),
      /** SPEC 11: simulate (an LLM plays the tools, consistently per episode) or execute (on tools_from). */
      tool_results: z.enum(['simulate', 'execute']).default('simulate'),
      /** SPEC 11: most assistant steps with tool calls in one agent episode. */
      agent_steps: z.number().int().min(1).max(20).default(5),
    })
    .prefault({})
    .refine((c) => c.type !== 'agent' || c.tools.length > 0 || c.tools_from !== null, {
      message: 'an agent dataset needs at least one tool in conversation.tools (or an MCP server in conversation.tools_from)',
      path: ['tools'],
    })
    .refine((c) => c.tool_results !== 'execute' || c.tools_from !== null, {
      message: 'execute needs an MCP server in conversation.tools_from to run the tools on',
      path: ['tool_results'],
    }),
  topics: z
    .strictObject({
      categories: z.array(CategorySchema).default([]),
      depth: z.number().int().min(0).max(5).default(2),
      degree: z.number().int().min(1).max(50).default(4),
    })
    .prefault({}),
  splits: SplitsSchema.prefault({ train: 0.8, validation: 0.1, test: 0.1 }),
  format: z.enum(EXPORT_FORMATS).default('openai'),
  output_dir: nonEmpty.default('./datasets'),
  budget_usd: z.number().positive('must be greater than 0').default(10),
  seed: z.number().int().default(42),
  provider: ProviderSchema.prefault({}),
  /** SPEC 11: judge, PII, language and diversity feedback (src/core/quality/config.ts). */
  quality: QualitySchema.prefault({}),
  sources: z.array(SourceSchema).default([]),
  grounding: GroundingSchema.prefault({}),
  examples: ExamplesSchema.nullable().default(null),
});

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** One line naming the first problem: `size: must be at least 1` or `unknown key "colour"`. */
export function describeIssues(error: z.ZodError, source: string): string {
  const issue = error.issues[0];
  if (!issue) return `${source}: invalid config`;
  const where = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (where ? `${where}.${k}` : k));
    return `${source}: unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'is required';
  else if (issue.code === 'invalid_value' && 'values' in issue) {
    message = `must be one of ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${source}: ${where || 'config'}: ${message}`;
}

export function validateConfig(raw: unknown, source = 'config'): Config {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(`${source}: the config must be a YAML mapping of keys to values`);
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) throw new UsageError(describeIssues(result.error, source));
  const quality = checkQualityConfig(result.data);
  if (quality !== null) throw new UsageError(`${source}: ${quality}`);
  return result.data;
}

export function parseConfigText(text: string, source: string): Config {
  if (text.length > MAX_CONFIG_BYTES) throw new UsageError(`${source}: the config is over the ${MAX_CONFIG_BYTES / (1024 * 1024)} MB limit`);
  return validateConfig(parseYamlText(text, source, { uniqueKeys: true }), source);
}

/** The repository's presets/ folder, found from this file both in src/ (tests) and in dist/. */
export function presetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '..', '..', 'presets');
}

/** `CONFIG` is a YAML file path or the name of a built-in preset. */
export function resolveConfigPath(ref: string): string {
  if (existsSync(ref)) return ref;
  if (!/[\\/]/.test(ref) && !ref.endsWith('.yaml') && !ref.endsWith('.yml')) {
    const preset = join(presetsDir(), `${ref}.yaml`);
    if (existsSync(preset)) return preset;
    throw new UsageError(`config "${ref}" is neither a file nor a built-in preset (see: synthloom presets)`);
  }
  throw new UsageError(`config file not found: ${ref}`);
}

export function loadConfig(ref: string): { config: Config; path: string } {
  const path = resolveConfigPath(ref);
  return { config: parseConfigText(readTextFile(path, MAX_CONFIG_BYTES, 'config file'), path), path };
}

export interface Overrides {
  size?: number;
  provider?: ProviderName;
  model?: string;
  base_url?: string;
  concurrency?: number;
  budget_usd?: number;
  output_dir?: string;
  mode?: ProviderMode;
}

/** Applies command-line overrides and validates the result again, so an override is checked like a key. */
export function applyOverrides(config: Config, overrides: Overrides, source = 'command line'): Config {
  const next = structuredClone(config) as Record<string, unknown> & Config;
  if (overrides.size !== undefined) next.size = overrides.size;
  if (overrides.budget_usd !== undefined) next.budget_usd = overrides.budget_usd;
  if (overrides.output_dir !== undefined) next.output_dir = overrides.output_dir;
  const provider = { ...next.provider };
  if (overrides.provider !== undefined) {
    if (overrides.provider !== provider.name && overrides.model === undefined) {
      provider.model = defaultModelFor(overrides.provider);
    }
    provider.name = overrides.provider;
  }
  if (overrides.model !== undefined) provider.model = overrides.model;
  if (overrides.base_url !== undefined) provider.base_url = overrides.base_url;
  if (overrides.concurrency !== undefined) provider.concurrency = overrides.concurrency;
  if (overrides.mode !== undefined) provider.mode = overrides.mode;
  next.provider = provider;
  return validateConfig(next, source);
}

export function defaultModelFor(provider: ProviderName): string {
  switch (provider) {
    case 'anthropic':
      return 'claude-haiku-4-5';
    case 'demo':
      return 'demo-template-1';
    case 'openai-compatible':
      return 'llama3.1';
    default:
      return 'gpt-4.1-mini';
  }
}

/** YAML for a config, keys in SPEC order, defaults written out so the file documents itself. */
export function configToYaml(config: Config): string {
  return stringifyYaml(config, { lineWidth: 0 });
}

/**
 * The overrides `resume` takes (--budget, --concurrency), range-checked by the same schema as the config
 * keys they replace, so `--concurrency 0` or `5000` is refused (exit 2) before anything is saved.
 */
export function checkResumeOverrides(o: { budgetUsd?: number; concurrency?: number }): void {
  const check = (flag: string, key: string, schema: z.ZodType, value: number | undefined) => {
    if (value === undefined) return;
    const result = schema.safeParse(value);
    if (!result.success) throw new UsageError(`--${flag}: ${value} is out of range for ${key}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  };
  check('budget', 'budget_usd', ConfigSchema.shape.budget_usd, o.budgetUsd);
  check('concurrency', 'provider.concurrency', ProviderSchema.shape.concurrency, o.concurrency);
}
