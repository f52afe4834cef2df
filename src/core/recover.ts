/**
 * The ledger of a session whose run (re)starts, from what its files say. The append-only files are the
 * truth: session.yaml's stats are saved every few seconds, so after a kill they lag behind what was accepted
 * and paid for. Spend is the larger of the two by stage, so a resumed run never under-counts toward the
 * budget; usage read from disk is checked like usage from a server (a hand-edited line cannot make it NaN).
 */
import type { Config } from './config.js';
import { checkedUsage, RunLedger, type SessionStats, type SpendStage, type StageSpend } from './ledger.js';
import { costOf, priceFor } from './prices.js';
import type { SessionRecords } from './session/index.js';
import type { FailureKind, Usage } from './types.js';

export interface Recovered {
  ledger: RunLedger;
  /** The latest failure of every slot (and topic node) that failed, from failures.jsonl. */
  lastFailure: Map<string, LastFailure>;
  /** Usage lines on disk that were not two non-negative whole numbers (not counted). */
  badUsageLines: number;
}

export interface LastFailure {
  kind: FailureKind;
  willRetry: boolean;
}

/** Sample slots are `TOPIC_rN`, grounded `CHUNK_ID:STRATEGY:N`, augmentations `aug-METHOD-ORIGIN-N`; anything else in failures.jsonl is a topic node. */
const SAMPLE_SLOT = /_r\d+$|^ch_[0-9a-f]{16}:[a-z_]+:\d+$|^aug-/;

function spendOf(usage: Usage, requests: number, config: Config): StageSpend {
  const cost = costOf({ input: usage.input_tokens, output: usage.output_tokens }, priceFor(config)) ?? 0;
  return { requests, input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, cost_usd: cost };
}

function larger(a: StageSpend, b: StageSpend | undefined): StageSpend {
  if (!b) return a;
  const pick = (x: number, y: unknown) => (typeof y === 'number' && Number.isFinite(y) && y > x ? y : x);
  return { requests: pick(a.requests, b.requests), input_tokens: pick(a.input_tokens, b.input_tokens), output_tokens: pick(a.output_tokens, b.output_tokens), cost_usd: pick(a.cost_usd, b.cost_usd) };
}

/** Stats of a session from before spend was kept by stage: everything but topic_requests was samples. */
function priorSpend(stats: SessionStats): Partial<Record<SpendStage, StageSpend>> {
  if (stats.spend) return stats.spend;
  const cost = Number.isFinite(stats.cost_usd) ? stats.cost_usd : 0;
  return { samples: { requests: stats.requests, input_tokens: stats.tokens.input, output_tokens: stats.tokens.output, cost_usd: cost } };
}

export function recoverLedger(records: SessionRecords, config: Config, stats: SessionStats): Recovered {
  let bad = 0;
  const add = (into: Usage, raw: unknown): boolean => {
    if (raw === undefined) return false;
    const checked = checkedUsage(raw);
    if (checked.problem) {
      bad++;
      return false;
    }
    into.input_tokens += checked.usage.input_tokens;
    into.output_tokens += checked.usage.output_tokens;
    return true;
  };
  const samples: Usage = { input_tokens: 0, output_tokens: 0 };
  const topics: Usage = { input_tokens: 0, output_tokens: 0 };
  samples.input_tokens += records.scan.tokens.input;
  samples.output_tokens += records.scan.tokens.output;
  bad += records.scan.badUsage;
  const failures: Partial<Record<FailureKind, number>> = {};
  const lastFailure = new Map<string, LastFailure>();
  let sampleFailureLines = 0;
  let topicAnswers = 0;
  for (const f of records.failures) {
    lastFailure.set(f.slot, { kind: f.kind, willRetry: f.will_retry !== false });
    failures[f.kind] = (failures[f.kind] ?? 0) + 1;
    const topic = !SAMPLE_SLOT.test(f.slot);
    if (topic) topicAnswers += add(topics, f.usage) ? 1 : 0;
    else {
      sampleFailureLines++;
      add(samples, f.usage);
    }
  }
  for (const t of records.topics.values()) topicAnswers += add(topics, t.usage) ? 1 : 0;
  const ledger = new RunLedger(config.size, Number.isFinite(stats.elapsed_s) ? stats.elapsed_s : 0);
  const prior = priorSpend(stats);
  // Every sample and failure line came from a request; a request asks for samples_per_call slots.
  const sampleRequests = Math.ceil((records.scan.ids.size + sampleFailureLines) / config.provider.samples_per_call);
  ledger.addRecovered('samples', larger(spendOf(samples, sampleRequests, config), prior.samples));
  ledger.addRecovered('topics', larger(spendOf(topics, Math.max(topicAnswers, stats.topic_requests ?? 0), config), prior.topics));
  if (prior.judge) ledger.addRecovered('judge', larger({ requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 }, prior.judge));
  for (const slot of records.scan.doneSlots) ledger.done.add(slot);
  for (const [kind, n] of Object.entries(failures) as [FailureKind, number][]) ledger.failures[kind] = Math.max(stats.failures[kind] ?? 0, n);
  for (const [kind, n] of Object.entries(stats.failures) as [FailureKind, number][]) ledger.failures[kind] = Math.max(ledger.failures[kind] ?? 0, n);
  ledger.duplicates = stats.duplicates;
  return { ledger, lastFailure, badUsageLines: bad };
}

/** Slots of the plan whose retries were exhausted in an earlier run (their latest failure said so) and not done. */
export function exhaustedSlots(lastFailure: ReadonlyMap<string, LastFailure>, planSlots: ReadonlySet<string>, done: ReadonlySet<string>): Map<string, FailureKind> {
  const out = new Map<string, FailureKind>();
  for (const [slot, f] of lastFailure) if (!f.willRetry && planSlots.has(slot) && !done.has(slot)) out.set(slot, f.kind);
  return out;
}
