/**
 * What a run sets up before the engine starts: the session opened (new or resumed, with the plan-change
 * check), and the topic phase, whose requests go through the run's executor and ledger and whose failed
 * nodes keep the run from sampling a tree that lacks them.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import { restoreDuplicates } from './dedup-file.js';
import { UsageError } from './errors.js';
import type { EventBus } from './events.js';
import type { Executor } from './executor.js';
import type { RunLedger } from './ledger.js';
import type { DuplicateIndex } from './minhash.js';
import { buildPlan, computeFingerprint, type Plan } from './plan.js';
import { FILES, readPlanFile, readSessionFile, SessionStore, type TopicRecord } from './session/index.js';
import { expandTopics, type ExpandResult } from './topics.js';
import { initialTree, plannedExpansionCalls } from './tree.js';

/** What changed between the approved plan and the config now, field by field; empty when nothing did. */
export function changesSinceApproval(plan: Plan, config: Config): string[] {
  const now = computeFingerprint(config);
  if (now.fingerprint === plan.fingerprint) return [];
  const before = plan.fingerprintInputs ?? {};
  const keys = new Set([...Object.keys(now.inputs), ...Object.keys(before)]);
  const changes = [...keys]
    .filter((k) => JSON.stringify(now.inputs[k]) !== JSON.stringify(before[k]))
    .map((k) => {
      const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : (JSON.stringify(v)?.slice(0, 60) ?? 'unset'));
      return k === 'schema' ? 'the output schema' : `${k} ${show(before[k])} -> ${show(now.inputs[k])}`;
    });
  return changes.length > 0 ? changes : ['the plan fingerprint'];
}

export interface ResumeSettings {
  dir: string;
  budgetUsd?: number;
  concurrency?: number;
  acceptPlanChange?: boolean;
}

/** An existing session, locked, with the resume-time changes applied and the plan change checked. */
export function openForResume(opts: ResumeSettings): { store: SessionStore; config: Config; plan: Plan } {
  const session = readSessionFile(opts.dir);
  const config = { ...session.config, provider: { ...session.config.provider } };
  if (opts.budgetUsd !== undefined) config.budget_usd = opts.budgetUsd;
  if (opts.concurrency !== undefined) config.provider.concurrency = opts.concurrency;
  let plan = readPlanFile(opts.dir);
  const changes = changesSinceApproval(plan, config);
  if (changes.length > 0) {
    if (!opts.acceptPlanChange) {
      throw new UsageError(`the session's settings changed since the plan was approved (${changes.join('; ')}): run again with --yes to continue with the new settings`);
    }
    plan = { ...buildPlan(config, plan.tree), leaves: plan.leaves };
  }
  const store = SessionStore.open(opts.dir);
  store.session.config = config;
  if (changes.length > 0) store.savePlan(plan);
  return { store, config, plan };
}

/** The journal topic expansion keeps in the session: records read once, then kept up to date. */
export function topicJournal(store: SessionStore): { done: Map<string, TopicRecord>; record(r: TopicRecord): void; fail: SessionStore['failures']['append'] } {
  const done = store.read().topics;
  return {
    done,
    // A preview closed while its requests were out: their answers are dropped, not written to a closed file.
    record: (r) => {
      if (store.isClosed) return;
      store.topics.append(r);
      done.set(r.id, r);
    },
    fail: (f) => {
      if (!store.isClosed) store.failures.append(f);
    },
  };
}

export interface TopicPhase {
  config: Config;
  store: SessionStore;
  executor: Executor;
  ledger: RunLedger;
  events: EventBus;
  signal: AbortSignal;
  shouldStop: () => boolean;
}

/** Expands the topic tree through the run (the plan screen's preview and a run's first phase alike). */
export async function runTopicPhase(p: TopicPhase): Promise<ExpandResult> {
  if (plannedExpansionCalls(p.config) === 0) return { tree: initialTree(p.config), failed: [], requests: 0 };
  const result = await expandTopics(p.config, { executor: p.executor, ledger: p.ledger, events: p.events, signal: p.signal, shouldStop: p.shouldStop, journal: topicJournal(p.store) });
  if (result.failed.length > 0) p.events.emit({ type: 'topics_failed', nodes: result.failed });
  return result;
}

/** Why a run does not sample a tree whose expansion left nodes pending. */
export function pendingTopicsReason(failed: ExpandResult['failed']): string {
  const names = failed.slice(0, 3).map((n) => (n.path.length > 0 ? n.path.join(' > ') : 'the root')).join('; ');
  const more = failed.length > 3 ? ` and ${failed.length - 3} more` : '';
  return `topic expansion failed for ${failed.length} node(s) (${names}${more}; last error: ${failed[0]?.message ?? 'unknown'}); the run did not sample a partial tree: resume to expand them again`;
}

/** Rebuilds the duplicate index from the samples already accepted, from their records in dedup.bin. */
export function rebuildDedup(store: SessionStore, dedup: DuplicateIndex): void {
  const removed = new Set(store.read().removed.map((r) => r.id));
  restoreDuplicates(join(store.dir, FILES.samples), removed, dedup, store.dedup);
}
