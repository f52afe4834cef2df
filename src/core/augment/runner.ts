/**
 * `synthloom augment`: new samples derived from a session's accepted ones. `augmentationPlan` says what
 * it would cost before anything is spent; `runAugmentation` sends the requests through a LiveExecutor
 * (the session's rate limits), books every answer in the session's ledger (stage `samples`), passes each
 * derived conversation through the same stages as a generated one (kind mapping, gates, duplicates against
 * everything accepted), and appends the kept ones with `derived_from` (the export keeps them in their
 * origin's split). A rejected derivation is a line in failures.jsonl with its usage, and is not retried.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { interpretAnswer } from '../answer.js';
import type { Config } from '../config.js';
import { LiveExecutor } from '../executor.js';
import { forEachLine } from '../files.js';
import { kindOf } from '../kinds/index.js';
import { RateLimiter } from '../limiter.js';
import { DuplicateIndex } from '../minhash.js';
import { costOf, priceFor } from '../prices.js';
import type { Provider } from '../provider.js';
import { recoverLedger } from '../recover.js';
import { rebuildDedup } from '../run-setup.js';
import { FILES, SessionStore } from '../session/index.js';
import { stagesFor, runStages, duplicateVerdict, type Candidate, type StageContext } from '../stages/index.js';
import { countTokens } from '../tokens.js';
import type { Sample, SlotSpec } from '../types.js';
import { type AugmentMethod, type AugmentSlot, derivedSample, planAugmentation } from './plan.js';
import { augmentedMessages, augmentRequest } from './prompt.js';

export interface AugmentOptions {
  method: AugmentMethod;
  ratio: number;
}

export interface AugmentationPlan {
  slots: AugmentSlot[];
  originals: number;
  tokens: { input: number; output: number };
  costUsd: number | null;
}

const Generated = z.strictObject({ messages: z.array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string() })) });

/** The session's kept samples (removed ones left out). */
export function keptSamples(dir: string, removed: ReadonlySet<string>): Sample[] {
  const out: Sample[] = [];
  forEachLine(join(dir, FILES.samples), ({ line, terminated }) => {
    if (!terminated || !line.trim()) return;
    const s = JSON.parse(line) as Sample;
    if (!removed.has(s.id)) out.push(s);
  });
  return out;
}

function requestOf(origin: Sample, slot: AugmentSlot, maxOutputTokens: number) {
  const r = augmentRequest({ origin, slot });
  const turns = origin.messages.flatMap((m) => (m.role === 'user' || m.role === 'assistant' ? [{ role: m.role, content: m.content }] : []));
  return {
    system: r.system,
    messages: [{ role: 'user' as const, content: r.user }],
    schema: r.schema,
    schemaName: r.schemaName,
    maxOutputTokens,
    facts: { stage: 'augment' as const, method: slot.method, turns },
  };
}

function maxTokensFor(origin: Sample): number {
  const text = origin.messages.map((m) => m.content).join('\n');
  return Math.min(16_384, Math.max(1024, countTokens(text) * 3 + 256));
}

/** What the augmentation would do and cost: estimated on the originals' own token counts. */
export function augmentationPlan(config: Config, samples: Sample[], opts: AugmentOptions, done: ReadonlySet<string> = new Set()): AugmentationPlan {
  const plan = planAugmentation(samples, { method: opts.method, ratio: opts.ratio, seed: config.seed });
  const slots = plan.slots.filter((s) => !done.has(s.id));
  const byId = new Map(samples.map((s) => [s.id, s]));
  let input = 0;
  let output = 0;
  for (const slot of slots) {
    const origin = byId.get(slot.derivedFrom)!;
    const r = requestOf(origin, slot, 0);
    input += countTokens(r.system) + countTokens(r.messages[0]!.content) + 20;
    output += Math.round(countTokens(origin.messages.map((m) => m.content).join('\n')) * (opts.method === 'expand' ? 1.8 : 1.1)) + 20;
  }
  return { slots, originals: plan.originals, tokens: { input, output }, costUsd: costOf({ input, output }, priceFor(config)) };
}

export interface AugmentResult {
  added: number;
  rejected: number;
  costUsd: number;
}

/** Runs the augmentation in the session at `dir` (its lock held throughout). */
export async function runAugmentation(
  dir: string,
  provider: Provider,
  opts: AugmentOptions,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<AugmentResult> {
  const store = SessionStore.open(dir);
  try {
    const config = store.session.config;
    const records = store.read();
    const { ledger } = recoverLedger(records, config, store.session.stats);
    const samples = keptSamples(dir, new Set(records.removed.map((r) => r.id)));
    const plan = augmentationPlan(config, samples, opts, records.scan.doneSlots);
    const byId = new Map(samples.map((s) => [s.id, s]));
    const dedup = new DuplicateIndex();
    rebuildDedup(store, dedup);
    const limiter = new RateLimiter({ rpm: config.provider.rpm, tpm: config.provider.tpm });
    const executor = new LiveExecutor(provider, limiter, config.provider.concurrency, priceFor(config, 'live'));
    // A derived conversation is messages: the chat kind maps and checks it whatever the session's kind.
    const ctx: StageContext = { config: { ...config, sources: [] }, kind: kindOf('basic'), dedup, ledger };
    const stages = stagesFor(ctx.config);
    const costBefore = ledger.costUsd;
    let added = 0;
    let rejected = 0;
    let finished = 0;
    const queue = [...plan.slots];
    const controller = new AbortController();
    const worker = async (): Promise<void> => {
      for (let slot = queue.shift(); slot; slot = queue.shift()) {
        const origin = byId.get(slot.derivedFrom)!;
        const maxOutputTokens = maxTokensFor(origin);
        const request = requestOf(origin, slot, maxOutputTokens);
        const chars = request.system.length + request.messages[0]!.content.length;
        const outcome = await executor.run({ request, estimateTokens: Math.ceil(chars / 4) + Math.ceil(maxOutputTokens / 3) }, controller.signal);
        const at = new Date().toISOString();
        if (!outcome.ok) {
          store.failures.append({ slot: slot.id, attempt: 1, kind: outcome.error.kind, message: outcome.error.message, at, will_retry: false });
          if (outcome.error.kind === 'auth' || outcome.error.kind === 'quota') throw outcome.error;
          rejected++;
        } else {
          const result = outcome.result;
          const booked = ledger.book('samples', result.usageInvalid ? { invalid: result.usageInvalid } : result.usage, executor.price, { input_tokens: chars, output_tokens: maxOutputTokens });
          const verdict = await judge(result, maxOutputTokens, origin, slot, booked.usage);
          if (verdict.ok) {
            const messages = augmentedMessages(origin, verdict.candidate.mapped!.messages as { role: 'user' | 'assistant'; content: string }[]);
            const sample = derivedSample(origin, slot, messages, { id: randomUUID(), model: result.model, usage: booked.usage, created_at: at });
            store.samples.append(sample);
            dedup.add(verdict.candidate.text!);
            store.dedup.append(sample.id, dedup.lastRecord());
            added++;
          } else {
            store.failures.append({ slot: slot.id, attempt: 1, kind: verdict.kind, message: verdict.message, at, will_retry: false, usage: booked.usage });
            rejected++;
          }
        }
        onProgress(++finished, plan.slots.length);
      }
    };
    const judge = async (result: Parameters<typeof interpretAnswer>[0], maxTokens: number, origin: Sample, slot: AugmentSlot, usage: Sample['usage']) => {
      const answer = interpretAnswer(result, Generated, maxTokens);
      if (!answer.ok) return { ok: false as const, kind: answer.kind, message: answer.message };
      const spec: SlotSpec = { id: slot.id, topicId: slot.id, replica: slot.variant, category: origin.category, path: [origin.topic], audience: '', complexity: 'moderate', turns: answer.value.messages.length / 2, scenario: 'typical', angle: opts.method };
      const candidate: Candidate = { slot: spec, example: answer.value, usage, model: result.model, extra: {} };
      let verdict = await runStages(stages, candidate, ctx);
      if (verdict.ok) verdict = duplicateVerdict(candidate, ctx);
      return verdict.ok ? { ok: true as const, candidate } : verdict;
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(config.provider.concurrency, plan.slots.length)) }, worker));
    } finally {
      controller.abort();
      store.sync();
      store.session.stats = ledger.toStats();
      store.save();
    }
    return { added, rejected, costUsd: ledger.costUsd - costBefore };
  } finally {
    store.close();
  }
}
