/**
 * What a session's files say about its progress and spend when a run (re)starts. The append-only files are
 * the truth: session.yaml's stats are saved every few seconds, so after a kill they lag behind what was
 * accepted and paid for. Spend is the larger of the two, so a resumed run never under-counts toward the budget.
 */
import type { Config } from './config.js';
import type { EngineState } from './engine.js';
import { costOf, priceFor } from './prices.js';
import { readFailures, readTopicRecords, scanSamples, type SessionStats } from './session.js';
import type { FailureKind, TokenCounts } from './types.js';

export interface Recovered {
  state: EngineState;
  /** Torn lines found at the end of samples.jsonl and moved to samples.jsonl.torn. */
  tornLines: number;
  /** The latest failure of every slot (and topic node) that failed, from failures.jsonl. */
  lastFailure: Map<string, LastFailure>;
}

export interface LastFailure {
  kind: FailureKind;
  willRetry: boolean;
}

/** Done slots and spend, from the files (repairing a torn last line). Throws UsageError on a damaged file. */
export function recoverState(dir: string, config: Config, stats: SessionStats): Recovered {
  const scan = scanSamples(dir, true);
  const files: TokenCounts = { ...scan.tokens };
  const failures: Partial<Record<FailureKind, number>> = {};
  let failureLines = 0;
  const lastFailure = new Map<string, LastFailure>();
  for (const f of readFailures(dir)) {
    failureLines++;
    lastFailure.set(f.slot, { kind: f.kind, willRetry: f.will_retry !== false });
    failures[f.kind] = (failures[f.kind] ?? 0) + 1;
    files.input += f.usage?.input_tokens ?? 0;
    files.output += f.usage?.output_tokens ?? 0;
  }
  for (const t of readTopicRecords(dir).values()) {
    files.input += t.usage.input_tokens;
    files.output += t.usage.output_tokens;
  }
  const tokens = { input: Math.max(stats.tokens.input, files.input), output: Math.max(stats.tokens.output, files.output) };
  const merged = { ...stats.failures };
  for (const [kind, n] of Object.entries(failures) as [FailureKind, number][]) merged[kind] = Math.max(merged[kind] ?? 0, n);
  return {
    tornLines: scan.tornLines,
    lastFailure,
    state: {
      done: scan.doneSlots,
      exhausted: new Map(),
      tokens,
      costUsd: Math.max(stats.cost_usd, costOf(files, priceFor(config)) ?? 0),
      // Every sample and failure line came from a request; a request asks for samples_per_call slots.
      requests: Math.max(stats.requests, Math.ceil((scan.ids.size + failureLines) / config.provider.samples_per_call)),
      failures: merged,
      duplicates: stats.duplicates,
      elapsedS: stats.elapsed_s,
    },
  };
}

/** Slots of the plan whose retries were exhausted in an earlier run (their latest failure said so) and not done. */
export function exhaustedSlots(lastFailure: ReadonlyMap<string, LastFailure>, planSlots: ReadonlySet<string>, done: ReadonlySet<string>): Map<string, FailureKind> {
  const out = new Map<string, FailureKind>();
  for (const [slot, f] of lastFailure) if (!f.willRetry && planSlots.has(slot) && !done.has(slot)) out.set(slot, f.kind);
  return out;
}
