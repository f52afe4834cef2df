/**
 * What is left of an approved plan and what it will cost: the resume approval screen's figures, and the
 * "Scale to N" screen's. `remainingEstimate` is pure (the plan's own per-slot estimate times the slots
 * left); `resumeOutlook` reads a session's files (read-only, no lock, nothing repaired) to count them.
 */
import type { Config } from './config.js';
import { EXPECTED_RETRY_RATE, type Plan } from './plan.js';
import { exhaustedSlots, recoverLedger } from './recover.js';
import { changesSinceApproval } from './run.js';
import { readPlanFile, readRecords, readSessionFile } from './session/index.js';
import { slotSpecs } from './slots.js';

export interface RemainingEstimate {
  /** Sample requests for the slots left, with the plan's expected retries. */
  requests: number;
  tokens: { input: number; output: number };
  /** null when the model has no price. */
  costUsd: number | null;
}

/** Slots left × the plan's estimate per slot (topic expansion not counted unless the tree is still unexpanded). */
export function remainingEstimate(plan: Plan, slotsLeft: number): RemainingEstimate {
  const e = plan.estimate;
  const slots = plan.leaves.reduce((n, l) => n + l.target, 0);
  const left = Math.max(0, slotsLeft);
  const share = slots > 0 ? left / slots : 0;
  const topicsLeft = plan.expanded ? 0 : 1;
  const topicCost = (e.topicCostUsd ?? 0) * topicsLeft;
  const sampleCost = e.costUsd === null ? null : Math.max(0, e.costUsd - (e.topicCostUsd ?? 0));
  const perCall = plan.config.provider.samples_per_call;
  const calls = Math.ceil(left / perCall);
  return {
    requests: calls + (left > 0 ? Math.ceil(calls * EXPECTED_RETRY_RATE) : 0),
    tokens: { input: Math.round(e.tokens.input * share), output: Math.round(e.tokens.output * share) },
    costUsd: sampleCost === null ? null : sampleCost * share + topicCost,
  };
}

export interface ResumeOutlook {
  config: Config;
  plan: Plan;
  done: number;
  slotsLeft: number;
  failuresToRetry: number;
  /** Slots that gave up and stay given up (without retryFailed). */
  gaveUp: number;
  changes: string[];
  estimate: RemainingEstimate;
  spentUsd: number;
  budgetUsd: number;
}

/** Counts what a resume of `dir` would do; throws UsageError for a directory that is not a session. */
export function resumeOutlook(dir: string, retryFailed: boolean, budgetUsd?: number): ResumeOutlook {
  const session = readSessionFile(dir);
  const config = session.config;
  const plan = readPlanFile(dir);
  const records = readRecords(dir, false);
  const { ledger, lastFailure } = recoverLedger(records, config, session.stats);
  const planSlots = new Set(slotSpecs(plan.config, plan.leaves).map((s) => s.id));
  const done = [...ledger.done].filter((s) => planSlots.has(s)).length;
  const exhausted = exhaustedSlots(lastFailure, planSlots, ledger.done);
  const slotsLeft = Math.max(0, planSlots.size - done - (retryFailed ? 0 : exhausted.size));
  return {
    config,
    plan,
    done,
    slotsLeft,
    failuresToRetry: retryFailed ? exhausted.size : 0,
    gaveUp: retryFailed ? 0 : exhausted.size,
    changes: changesSinceApproval(plan, config),
    estimate: remainingEstimate(plan, slotsLeft),
    spentUsd: ledger.toStats().cost_usd,
    budgetUsd: budgetUsd ?? config.budget_usd,
  };
}
