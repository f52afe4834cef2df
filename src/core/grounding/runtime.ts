/**
 * Grounded generation and few-shot inside a run: what createRun calls before it plans and starts the
 * engine. `prepareRunGrounding` reads the documents (config.sources) and the examples (config.examples),
 * turns the grounded plan into the run's slots, and gives the engine its request builder (grounded
 * requests: system, cachePrefix = examples + passage, user; other requests: the sample request with the
 * slot's k rotated examples as cachePrefix) and the example-guard stage. plan.yaml keeps the chunk ids and
 * the documents' folder, so a resume after a document was added diffs against them (only new chunks
 * have open slots: slot ids are derived from chunk ids).
 */
import type { Config } from '../config.js';
import { ExampleGuard, examplesFor } from '../examples/fewshot.js';
import { type FewShotExample, loadExamples } from '../examples/load.js';
import type { Plan } from '../plan.js';
import { priceFor } from '../prices.js';
import { prepare, sampleRequest, type Feedback, type PreparedRequest } from '../requests.js';
import type { Chunk } from '../sources/chunk.js';
import { resolveSourceFiles } from '../sources/files.js';
import type { ChunkDiff } from '../sources/diff.js';
import { PASS, reject, type SampleStage } from '../stages/types.js';
import { countTokens } from '../tokens.js';
import type { GroundingStrategy } from '../config.js';
import type { SlotSpec } from '../types.js';
import { groundedRequestParts, groundingInputCost, prepareGrounding, type GroundingCost, type GroundingPreparation } from './index.js';
import { SAMPLE_SCHEMA_NAME, wireAnswerSchema } from '../kinds/index.js';
import { renderExamples, type GroundedPrompt } from './prompt.js';
import type { GroundingFigures } from './slots.js';

export interface GroundedSlotData {
  strategy: GroundingStrategy;
  /** The slot's chunk, and for multi_hop its partner. */
  chunks: Chunk[];
  parts: GroundedPrompt;
}

/** What plan.yaml keeps of the grounding (SPEC 11). */
export interface PlanGrounding {
  baseDir: string;
  chunkIds: string[];
  figures: GroundingFigures;
  cost: GroundingCost;
  diff: { new: number; unchanged: number; removed: number } | null;
}

export type RequestBuilder = (slots: SlotSpec[], maxOutputTokens: number, feedback: Feedback) => PreparedRequest;

export interface RunGrounding {
  prep: GroundingPreparation | null;
  examples: FewShotExample[] | null;
  /** The grounded slots (null without sources: the run plans topic slots as before). */
  slots: SlotSpec[] | null;
  buildRequest: RequestBuilder;
  stages: SampleStage[];
  diff: ChunkDiff | null;
}

/** Null when the config has neither sources nor examples (nothing changes for such a run). */
export async function prepareRunGrounding(config: Config, baseDir: string | undefined, plan: Plan): Promise<RunGrounding | null> {
  if (config.sources.length === 0 && !config.examples) return null;
  const dir = plan.grounding?.baseDir ?? baseDir ?? process.cwd();
  let prep: GroundingPreparation | null = null;
  let examples: FewShotExample[] | null = null;
  if (config.sources.length > 0) {
    prep = await prepareGrounding(config, dir, plan.grounding?.chunkIds);
    examples = prep.examples;
  } else if (config.examples) {
    examples = loadExamples(config.examples, dir);
  }
  const slots = prep ? groundedSlotSpecs(config, prep) : null;
  const position = new Map<string, number>();
  const buildRequest: RequestBuilder = (group, maxOutputTokens, feedback) => {
    const first = group[0]!;
    if (first.grounded) {
      const { parts } = first.grounded;
      return prepare({
        system: parts.system,
        cachePrefix: parts.cachePrefix,
        messages: [{ role: 'user', content: parts.user }, ...feedback],
        schema: wireAnswerSchema(config, group.length),
        schemaName: SAMPLE_SCHEMA_NAME,
        maxOutputTokens,
        ...sampling(config),
        facts: { stage: 'samples', kind: 'grounded', slots: group, tools: [] },
      });
    }
    const prepared = sampleRequest(config, group, maxOutputTokens, feedback);
    if (!examples || !config.examples) return prepared;
    // Rotation by the slot's position in the plan: successive requests walk through the examples file.
    let at = position.get(first.id);
    if (at === undefined) position.set(first.id, (at = position.size));
    return prepare({ ...prepared.request, cachePrefix: renderExamples(examplesFor(examples, config.examples.k, at)) });
  };
  const stages = examples && examples.length > 0 ? [exampleGuardStage(new ExampleGuard(examples))] : [];
  return { prep, examples, slots, buildRequest, stages, diff: prep?.diff ?? null };
}

function sampling(config: Config) {
  const { temperature, top_p: topP } = config.provider;
  return { ...(temperature !== null ? { temperature } : {}), ...(topP !== null ? { topP } : {}) };
}

export function groundedSlotSpecs(config: Config, prep: GroundingPreparation): SlotSpec[] {
  return prep.plan.slots.map((g) => {
    const chunk = prep.chunkById.get(g.chunkId)!;
    const paired = g.pairedChunkId ? prep.chunkById.get(g.pairedChunkId) : undefined;
    return {
      id: g.id,
      // One question a request: the slot is its own group.
      topicId: g.id,
      replica: g.question,
      category: chunk.file,
      path: [chunk.file, ...chunk.headings],
      audience: config.audience[g.chunkOrdinal % config.audience.length]!,
      complexity: g.strategy === 'analytical' || g.strategy === 'multi_hop' ? 'complex' : 'simple',
      turns: 1,
      scenario: g.strategy === 'unanswerable' ? 'edge_case' : 'typical',
      angle: g.strategy,
      grounded: { strategy: g.strategy, chunks: paired ? [chunk, paired] : [chunk], parts: groundedRequestParts(config, prep, g) },
    };
  });
}

/** A sample that copies a few-shot example is a duplicate (compared on question and answer when grounded). */
export function exampleGuardStage(guard: ExampleGuard): SampleStage {
  return {
    name: 'examples',
    run(c) {
      const qa = c.example as unknown as { question?: string; answer?: string };
      const messages =
        c.slot.grounded && typeof qa.question === 'string' && typeof qa.answer === 'string'
          ? [{ role: 'user' as const, content: qa.question }, { role: 'assistant' as const, content: qa.answer }]
          : (c.mapped?.messages ?? []).filter((m) => m.role !== 'system');
      const dup = guard.check(messages);
      if (!dup.duplicate) return PASS;
      return reject('duplicate', `${dup.kind === 'exact' ? 'exact' : 'near'} duplicate of a few-shot example (similarity ${dup.similarity.toFixed(2)})`);
    },
  };
}

/**
 * The approved plan of a grounded run: no topic phase, one slot per question, the estimate with the
 * chunks' input tokens (and the share a prompt cache serves), and the chunk ids for the next resume.
 */
export function groundedPlan(plan: Plan, config: Config, g: RunGrounding, baseDir: string): Plan {
  const prep = g.prep!;
  const slots = g.slots!;
  const price = priceFor(config);
  const cost = groundingInputCost(prep, config, price);
  const perRequest = slots.length > 0 ? countTokens(slots[0]!.grounded!.parts.system) + countTokens(slots[0]!.grounded!.parts.user) + 60 : 0;
  const retries = Math.ceil(slots.length * 0.06);
  const input = (slots.length + retries) * perRequest + cost.inputTokens;
  const output = slots.length * 200;
  const base = price ? ((input - cost.inputTokens) * price.input + output * price.output) / 1e6 : null;
  const costUsd = base !== null && cost.usd !== null ? base + cost.usd : null;
  const d = prep.diff;
  return {
    ...plan,
    expanded: true,
    leaves: [],
    estimate: {
      ...plan.estimate,
      calls: { topics: 0, samples: slots.length, retries, total: slots.length + retries },
      tokens: { input, output },
      cachedInputTokens: cost.cachedTokens,
      costUsd,
      topicCostUsd: 0,
    },
    grounding: {
      baseDir,
      chunkIds: prep.chunks.map((c) => c.id),
      figures: prep.plan.figures,
      cost,
      diff: d ? { new: d.new.length, unchanged: d.unchanged.length, removed: d.removed.length } : null,
    },
  };
}

/**
 * A grounded run's start: the run's target becomes the number of questions, the plan the grounded plan
 * (saved, with its chunk ids), and what changed since the last plan is said.
 */
export function startGrounding(o: {
  grounding: RunGrounding;
  config: Config;
  plan: Plan;
  store: { session: { config: Config }; savePlan(plan: Plan): void };
  events: { emit(e: { type: 'warning'; message: string }): void };
  baseDir: string | undefined;
}): Plan {
  const { grounding, config, store } = o;
  const slots = grounding.slots!;
  config.size = slots.length;
  store.session.config.size = slots.length;
  const plan = groundedPlan(o.plan, config, grounding, o.plan.grounding?.baseDir ?? o.baseDir ?? process.cwd());
  store.savePlan(plan);
  const d = plan.grounding!.diff;
  if (d && (d.new > 0 || d.removed > 0)) {
    o.events.emit({ type: 'warning', message: `documents changed since the last plan: ${d.new} new chunk(s) to generate for, ${d.unchanged} unchanged, ${d.removed} no longer in the documents` });
  }
  for (const note of grounding.prep!.notes) o.events.emit({ type: 'warning', message: note });
  return plan;
}

/**
 * The cheap checks of a new session's inputs, before anything is written: every source path resolves to
 * documents, and the examples file loads (a SourceError or UsageError naming the file, exit 2). Reading and
 * chunking the documents (an encrypted PDF, say) happens when the run starts.
 */
export function checkGroundingInputs(config: Config, baseDir: string | undefined): void {
  const dir = baseDir ?? process.cwd();
  if (config.sources.length > 0) resolveSourceFiles(config.sources, dir);
  if (config.examples) loadExamples(config.examples, dir);
}
