/**
 * SPEC 4: the plan shown for approval before any token is spent. Pure: built from the config (and, once
 * topic expansion ran, the topic tree) without any network call.
 */
import { judgeEstimate, judgeFingerprint, judgeSummaryLines, withJudge, type JudgeEstimate } from './plan-judge.js';
import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import { costOf, formatUsd, priceFor, type Price } from './prices.js';
import { batchEstimate, type BatchEstimate } from './batch/estimate.js';
import { answerSchema, kindOf, toWireSchema } from './kinds/index.js';
import { PROMPT_VERSION, samplePrompt, topicPrompt } from './prompts.js';
import { allocate } from './random.js';
import { slotSpecs } from './slots.js';
import { countTokens } from './tokens.js';
import { categoryTargets, initialTree, leafTargets, plannedExpansionCalls } from './tree.js';
import type { DatasetType, LeafTarget, SlotSpec, Topic } from './types.js';

export interface CategoryPlan {
  name: string;
  weight: number;
  target: number;
}

export interface Estimate {
  calls: { topics: number; samples: number; retries: number; total: number; judge?: number };
  /** The LLM judge's share (issue 11), when it is on: its calls are in calls.total, its tokens and USD in the totals. */
  judge?: JudgeEstimate;
  tokens: { input: number; output: number };
  costUsd: number | null;
  topicCostUsd: number | null;
  price: Price | null;
  wallTimeS: number;
  /** Longest answer asked for per sample request, in tokens. */
  maxOutputTokens: number;
  /** `provider.mode: batch`: both prices, the window and the number of batches (costUsd is the batch one). */
  batch?: BatchEstimate;
  /** Input tokens expected from the prompt cache (grounded runs: a chunk's questions after its first). */
  cachedInputTokens?: number;
}

export interface AxisSpread {
  name: string;
  values: { value: string; count: number }[];
}

export interface Plan {
  version: 1;
  name: string;
  fingerprint: string;
  /** What the fingerprint was computed from, so a changed one can be explained field by field. */
  fingerprintInputs: Record<string, unknown>;
  config: Config;
  datasetType: DatasetType;
  categories: CategoryPlan[];
  tree: Topic | null;
  expanded: boolean;
  leaves: LeafTarget[];
  axes: AxisSpread[];
  prompts: { topics: { system: string; user: string } | null; sample: { system: string; user: string } };
  schema: Record<string, unknown>;
  estimate: Estimate;
  splits: { train: number; validation: number; test: number };
  /** Grounded runs: the documents' folder, the chunk ids planned, figures and the chunks' cost. */
  grounding?: import('./grounding/runtime.js').PlanGrounding;
}

/** Share of sample requests expected to be retried (failures, rejections). */
export const EXPECTED_RETRY_RATE = 0.06;

/** The offline demo provider answers in about a quarter of a second (src/providers/demo.ts). */
const DEMO_LATENCY_S = 0.25;

const ASSISTANT_TOKENS: Record<Config['response_length'], number> = { short: 80, medium: 300, long: 800 };
const USER_TOKENS = 60;

/** Output tokens one generated example is expected to take (the kind adds its own: reasoning, tool calls). */
function expectedExampleTokens(config: Config, turns: number): number {
  const perTurn = USER_TOKENS + ASSISTANT_TOKENS[config.response_length] + 16;
  return turns * perTurn + kindOf(config).extraOutputTokens + 12;
}

export function maxOutputTokens(config: Config): number {
  if (config.provider.max_output_tokens) return config.provider.max_output_tokens;
  const worst = expectedExampleTokens(config, config.conversation.max_turns) * 2.5 + 256;
  return Math.min(16_384, Math.max(1024, Math.ceil(worst * config.provider.samples_per_call)));
}

/** Groups a leaf's slots into requests of `samples_per_call`. */
export function requestGroups(specs: readonly SlotSpec[], perCall: number): SlotSpec[][] {
  const groups: SlotSpec[][] = [];
  let current: SlotSpec[] = [];
  for (const spec of specs) {
    if (current.length > 0 && (current.length >= perCall || current[0]!.topicId !== spec.topicId)) {
      groups.push(current);
      current = [];
    }
    current.push(spec);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export function computeFingerprint(config: Config): { fingerprint: string; inputs: Record<string, unknown> } {
  const inputs: Record<string, unknown> = {
    provider: config.provider.name,
    model: config.provider.model,
    prompt_version: PROMPT_VERSION,
    schema: toWireSchema(answerSchema(config)),
    task: config.task,
    domain: config.domain,
    instructions: config.instructions,
    tone: config.tone,
    response_length: config.response_length,
    audience: config.audience,
    complexity: config.complexity,
    edge_cases: config.edge_cases,
    negatives: config.negatives,
    special_formats: config.special_formats,
    system_prompt: config.system_prompt ?? null,
    conversation: config.conversation,
    samples_per_call: config.provider.samples_per_call,
    seed: config.seed,
    // Only when set, so a plan approved before these keys existed keeps its fingerprint.
    ...(config.provider.temperature !== null ? { temperature: config.provider.temperature } : {}),
    ...(config.provider.top_p !== null ? { top_p: config.provider.top_p } : {}),
    ...judgeFingerprint(config),
  };
  const fingerprint = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
  return { fingerprint, inputs };
}

function spreadOf(name: string, values: string[]): AxisSpread {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return { name, values: [...counts.entries()].map(([value, count]) => ({ value, count })) };
}

function estimate(config: Config, specs: SlotSpec[], topicCalls: number, samplePromptTokens: number, topicPromptTokens: number): Estimate {
  const perCall = config.provider.samples_per_call;
  const groups = requestGroups(specs, perCall);
  const sampleCalls = groups.length;
  const retries = Math.ceil(sampleCalls * EXPECTED_RETRY_RATE);
  const avgOut = specs.length > 0 ? specs.reduce((n, s) => n + expectedExampleTokens(config, s.turns), 0) / specs.length : 0;
  const sampleOut = specs.length * avgOut * (1 + EXPECTED_RETRY_RATE);
  const sampleIn = (sampleCalls + retries) * samplePromptTokens;
  const topicIn = topicCalls * topicPromptTokens;
  const topicOut = topicCalls * (config.topics.degree * 10 + 20);
  const price = priceFor(config);
  const tokens = { input: Math.round(sampleIn + topicIn), output: Math.round(sampleOut + topicOut) };
  // Latency model: ~0.8 s first token plus ~70 output tokens/s; the pool keeps `concurrency` busy.
  const callLatency = config.provider.name === 'demo' ? DEMO_LATENCY_S : 0.8 + (avgOut * perCall) / 70;
  const concurrency = config.provider.concurrency;
  let sampleTime = ((sampleCalls + retries) / concurrency) * callLatency;
  if (config.provider.rpm) sampleTime = Math.max(sampleTime, ((sampleCalls + retries) / config.provider.rpm) * 60);
  if (config.provider.tpm) sampleTime = Math.max(sampleTime, ((tokens.input + tokens.output) / config.provider.tpm) * 60);
  const topicTime = topicCalls > 0 ? Math.ceil(topicCalls / concurrency) * 1.5 + config.topics.depth : 0;
  const batch = config.provider.mode === 'batch' ? batchEstimate(config, { requests: sampleCalls + retries, input: sampleIn, output: sampleOut, promptTokens: samplePromptTokens }, { input: topicIn, output: topicOut }) : undefined;
  const judge = judgeEstimate(config, specs, avgOut);
  const base = {
    ...(batch ? { batch } : {}),
    calls: { topics: topicCalls, samples: sampleCalls, retries, total: topicCalls + sampleCalls + retries },
    tokens,
    costUsd: batch ? batch.batchCostUsd : costOf(tokens, price),
    topicCostUsd: topicCalls > 0 ? costOf({ input: topicIn, output: topicOut }, price) : 0,
    price,
    wallTimeS: Math.round(sampleTime + topicTime),
    maxOutputTokens: maxOutputTokens(config),
  };
  return withJudge(base, judge);
}

export function buildPlan(config: Config, tree: Topic | null = null): Plan {
  const start = tree ?? initialTree(config);
  const leaves = leafTargets(start, config.size);
  const specs = slotSpecs(config, leaves);
  const sample = samplePrompt(config, specs.slice(0, config.provider.samples_per_call));
  const topicCalls = tree ? 0 : plannedExpansionCalls(config);
  const firstTopic = start.children[0];
  const topics =
    topicCalls > 0
      ? topicPrompt(config, start.children.length > 0 && firstTopic ? firstTopic.path : [], [], config.topics.degree)
      : null;
  const { fingerprint, inputs } = computeFingerprint(config);
  const splitCounts = allocate(config.size, [config.splits.train, config.splits.validation, config.splits.test]);
  return {
    version: 1,
    name: config.name,
    fingerprint,
    fingerprintInputs: inputs,
    config,
    datasetType: config.conversation.type,
    categories: categoryTargets(start, config.size),
    tree,
    expanded: tree !== null,
    leaves,
    axes: [
      spreadOf('audience', specs.map((s) => s.audience)),
      spreadOf('complexity', specs.map((s) => s.complexity)),
      spreadOf('turns', specs.map((s) => (s.turns === 1 ? 'single-turn' : `${s.turns} turns`))),
      spreadOf('scenario', specs.map((s) => s.scenario.replace('_', ' '))),
    ],
    prompts: { topics, sample },
    schema: toWireSchema(answerSchema(config)),
    estimate: estimate(
      config,
      specs,
      topicCalls,
      countTokens(sample.system) + countTokens(sample.user) + 60,
      topics ? countTokens(topics.system) + countTokens(topics.user) + 40 : 0,
    ),
    splits: { train: splitCounts[0]!, validation: splitCounts[1]!, test: splitCounts[2]! },
  };
}

/** After the user edited the expanded tree: new leaves, targets and estimate, same config. */
export function retarget(plan: Plan, tree: Topic): Plan {
  return buildPlan(plan.config, tree);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.round((seconds % 3600) / 60)}m`;
}

/** The plain-text plan `synthloom plan` prints (the TUI draws its own). */
export function planSummaryLines(plan: Plan): string[] {
  const c = plan.config;
  const e = plan.estimate;
  const lines = [
    `Plan for "${plan.name}": ${c.size} ${plan.datasetType} examples of ${c.task} (${c.domain})`,
    `Provider: ${c.provider.name} · model ${c.provider.model} · concurrency ${c.provider.concurrency}` +
      (c.provider.rpm ? ` · ${c.provider.rpm} rpm` : '') +
      (c.provider.name === 'demo' ? ' · DEMO: offline template data, not model output' : ''),
    '',
    `Categories (${plan.categories.length}):`,
    ...plan.categories.map((cat) => `  ${String(cat.target).padStart(6)}  ${cat.name}${cat.weight !== 1 ? ` (weight ${cat.weight})` : ''}`),
  ];
  if (plan.expanded) lines.push(`Topics: ${plan.leaves.length} leaf topics, ${Math.min(...plan.leaves.map((l) => l.target))}-${Math.max(...plan.leaves.map((l) => l.target))} examples each`);
  else if (e.calls.topics > 0) lines.push(`Topics: expanded after approval (depth ${c.topics.depth}, ${c.topics.degree} subtopics a node, ${e.calls.topics} calls)`);
  lines.push('', 'Diversity:');
  for (const axis of plan.axes) lines.push(`  ${axis.name.padEnd(11)} ${axis.values.map((v) => `${v.value} ${v.count}`).join(' · ')}`);
  lines.push(
    '',
    `LLM calls: ${e.calls.total} (${e.calls.topics} topic expansion, ${e.calls.samples} samples, ~${e.calls.retries} retries expected)`,
    `Tokens (estimate): ${e.tokens.input.toLocaleString('en-US')} in, ${e.tokens.output.toLocaleString('en-US')} out`,
    ...judgeSummaryLines(e),
    `Cost (estimate): ${formatUsd(e.costUsd)}` +
      (e.price ? ` at $${e.price.input}/$${e.price.output} per 1M tokens (${e.price.source}, ${e.price.date})` : ` (model "${c.provider.model}" is not in the price table: set provider.price to estimate)`),
    ...(e.batch
      ? [`Batch mode: ${e.batch.batches} batch(es), results within ${e.batch.windowHours} h · live price ${formatUsd(e.batch.liveCostUsd)}, batch price ${formatUsd(e.batch.batchCostUsd)} (topic expansion live)`]
      : []),
    `Budget cap: ${formatUsd(c.budget_usd)}${e.costUsd !== null && e.costUsd > c.budget_usd ? '  WARNING: the estimate exceeds the budget; the run will pause at the cap' : ''}`,
    `Time (estimate): ${formatDuration(e.wallTimeS)}`,
    `Splits: train ${plan.splits.train} · validation ${plan.splits.validation} · test ${plan.splits.test}  (format ${c.format})`,
    `Fingerprint: ${plan.fingerprint}`,
  );
  return lines;
}
