/**
 * One run of a session, new or resumed: everything the engine needs, set up in the right order. Bad input
 * (a missing key, a locked or changed session) is refused before anything is written.
 */
import { join } from 'node:path';
import { createProvider } from '../providers/index.js';
import type { Provider } from '../providers/types.js';
import type { Config } from './config.js';
import { restoreDuplicates } from './dedup-file.js';
import { UsageError, errorMessage } from './errors.js';
import { Engine, STOP_GRACE_MS } from './engine.js';
import { EventBus, type ProgressCounts, type RunEndStatus } from './events.js';
import { exportSession } from './export/index.js';
import { forEachLine } from './files.js';
import { RateLimiter } from './limiter.js';
import { buildPlan, computeFingerprint, type Plan } from './plan.js';
import { priceFor, costOf } from './prices.js';
import { DuplicateIndex } from './quality.js';
import { exhaustedSlots, recoverState } from './recover.js';
import { FILES, readPlanFile, readRemoved, readSessionFile, readTopicRecords, SessionStore } from './session.js';
import { slotSpecs } from './slots.js';
import { expandTopics, FatalRunError } from './topics.js';
import { initialTree, plannedExpansionCalls } from './tree.js';
import type { FailureKind, Sample } from './types.js';

export interface StartRunOptions {
  /** Required for a new session; for a resume, taken from session.yaml when absent. */
  config?: Config;
  plan?: Plan;
  dir?: string;
  resume?: boolean;
  retryFailed?: boolean;
  acceptPlanChange?: boolean;
  /** Resume-time changes that do not alter what is generated. */
  budgetUsd?: number;
  concurrency?: number;
  provider?: Provider;
  env?: NodeJS.ProcessEnv;
  /** End the run at the budget cap (headless) or wait for raiseBudget (TUI). Default 'end'. */
  onBudget?: 'end' | 'wait';
}

export interface RunResult {
  status: RunEndStatus;
  exitCode: number;
  done: number;
  target: number;
  dir: string;
  reason?: string;
}

export interface RunHandle {
  readonly events: EventBus;
  readonly dir: string;
  readonly config: Config;
  start(): Promise<RunResult>;
  pause(): void;
  resume(): void;
  stop(): void;
  retryFailed(kinds?: FailureKind[]): void;
  raiseBudget(usd: number): void;
  removeSample(id: string): void;
  snapshot(): ProgressCounts;
}

/** What changed between the approved plan and the config now, field by field; empty when nothing did. */
export function changesSinceApproval(plan: Plan, config: Config): string[] {
  const now = computeFingerprint(config);
  if (now.fingerprint === plan.fingerprint) return [];
  const before = plan.fingerprintInputs ?? {};
  const changes = Object.keys(now.inputs)
    .filter((k) => JSON.stringify(now.inputs[k]) !== JSON.stringify(before[k]))
    .map((k) => {
      const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v)?.slice(0, 60));
      return k === 'schema' ? 'the output schema' : `${k} ${show(before[k])} -> ${show(now.inputs[k])}`;
    });
  return changes.length > 0 ? changes : ['the plan fingerprint'];
}

function openForResume(opts: StartRunOptions): { store: SessionStore; config: Config; plan: Plan } {
  const dir = opts.dir!;
  const session = readSessionFile(dir);
  const config = { ...session.config, provider: { ...session.config.provider } };
  if (opts.budgetUsd !== undefined) config.budget_usd = opts.budgetUsd;
  if (opts.concurrency !== undefined) config.provider.concurrency = opts.concurrency;
  let plan = readPlanFile(dir);
  const changes = changesSinceApproval(plan, config);
  if (changes.length > 0) {
    if (!opts.acceptPlanChange) {
      throw new UsageError(`the session's settings changed since the plan was approved (${changes.join('; ')}): run again with --yes to continue with the new settings`);
    }
    plan = { ...buildPlan(config, plan.tree), leaves: plan.leaves };
  }
  const store = SessionStore.open(dir);
  store.session.config = config;
  if (changes.length > 0) store.savePlan(plan);
  return { store, config, plan };
}

/**
 * Rebuilds the duplicate index from the samples already accepted (streamed, one line at a time), from their
 * records in dedup.bin; a sample without one is hashed and its record appended.
 */
function rebuildDedup(store: SessionStore, dedup: DuplicateIndex): void {
  const removed = new Set(readRemoved(store.dir).map((r) => r.id));
  restoreDuplicates(join(store.dir, FILES.samples), removed, dedup, store.dedup);
}

export function createRun(opts: StartRunOptions): RunHandle {
  if (!opts.resume && !opts.config) throw new UsageError('a config is needed to start a new session');
  if (opts.resume && !opts.dir) throw new UsageError('resume needs the session directory');
  // The provider first: a missing key is refused before anything is written.
  const peekConfig = opts.config ?? (opts.resume ? readSessionFile(opts.dir!).config : undefined)!;
  const provider = opts.provider ?? createProvider(peekConfig, opts.env);
  let store: SessionStore;
  let config: Config;
  let plan: Plan;
  if (opts.resume) {
    ({ store, config, plan } = openForResume(opts));
  } else {
    config = structuredClone(opts.config!);
    plan = opts.plan ?? buildPlan(config);
    store = SessionStore.create(opts.dir ?? join(config.output_dir, config.name), config, plan);
  }
  const dir = store.dir;
  const events = new EventBus();
  const limiter = new RateLimiter({ rpm: config.provider.rpm, tpm: config.provider.tpm });
  limiter.onWait = (waitMs, reason) => events.emit({ type: 'rate_limit', waitMs, reason });
  let engine: Engine | null = null;
  let stopped = false;
  // Stops topic expansion (the only work before the engine exists) when the user stops early.
  const early = new AbortController();
  const pending: ((e: Engine) => void)[] = [];
  const withEngine = (fn: (e: Engine) => void) => (engine ? fn(engine) : pending.push(fn));

  const start = async (): Promise<RunResult> => {
    const started = Date.now();
    const stats = store.session.stats;
    let recovered;
    try {
      recovered = recoverState(dir, config, stats);
    } catch (err) {
      store.close(); // a damaged session is refused as it is: no status change
      throw err;
    }
    const { state, tornLines, lastFailure } = recovered;
    events.emit({ type: 'run_start', session: config.name, dir, provider: provider.name, model: config.provider.model, target: config.size, done: state.done.size, demo: provider.demo, tornLines });
    let result: { status: RunEndStatus; exitCode: number; reason?: string };
    try {
      if (!plan.expanded) {
        if (plannedExpansionCalls(config) > 0) {
          store.setStatus('expanding');
          const journal = {
            done: readTopicRecords(dir),
            record: (r: Parameters<SessionStore['topics']['append']>[0]) => store.topics.append(r),
            fail: (f: Parameters<SessionStore['failures']['append']>[0]) => store.failures.append(f),
          };
          const expanded = await expandTopics(config, provider, {
            events,
            journal,
            signal: early.signal,
            shouldStop: () => stopped,
            beforeRequest: () => limiter.acquire(500, early.signal),
          });
          state.tokens.input += expanded.usage.input_tokens;
          state.tokens.output += expanded.usage.output_tokens;
          state.costUsd += costOf({ input: expanded.usage.input_tokens, output: expanded.usage.output_tokens }, priceFor(config)) ?? 0;
          stats.topic_requests += expanded.calls;
          if (stopped) throw new Error('stopped during topic expansion');
          plan = buildPlan(config, expanded.tree);
        } else {
          plan = buildPlan(config, initialTree(config));
        }
        store.savePlan(plan);
      }
      events.emit({ type: 'plan', leaves: plan.leaves.length, slots: config.size, estimateUsd: plan.estimate.costUsd, fingerprint: plan.fingerprint });
      const slots = slotSpecs(config, plan.leaves);
      if (!opts.retryFailed) state.exhausted = exhaustedSlots(lastFailure, new Set(slots.map((s) => s.id)), state.done);
      const dedup = new DuplicateIndex();
      rebuildDedup(store, dedup);
      engine = new Engine({ config, plan, slots: slots.filter((s) => !state.done.has(s.id)), provider, store, events, limiter, dedup, state, onBudget: opts.onBudget ?? 'end' });
      pending.splice(0).forEach((fn) => fn(engine!));
      if (stopped) engine.stop();
      result = await engine.run();
    } catch (err) {
      const reason = stopped ? 'stopped before the end; resume to continue' : err instanceof FatalRunError ? err.message : errorMessage(err);
      const exitCode = stopped ? 130 : err instanceof FatalRunError ? err.exitCode : 1;
      result = { status: stopped ? 'interrupted' : 'failed', exitCode, reason };
      store.session.stats = { ...stats, tokens: { ...state.tokens }, cost_usd: Number(state.costUsd.toFixed(6)) };
      store.setStatus(stopped ? 'interrupted' : 'failed', reason);
    }
    if (state.done.size > 0) {
      try {
        exportSession(dir);
      } catch (err) {
        result.reason = `${result.reason ? `${result.reason}; ` : ''}export failed: ${errorMessage(err)}`;
      }
    }
    const snap = engine?.snapshot();
    events.emit({
      type: 'run_end',
      status: result.status,
      sessionStatus: store.session.status,
      reason: result.reason,
      done: state.done.size,
      target: config.size,
      failedSlots: state.exhausted.size,
      tokens: snap?.tokens ?? state.tokens,
      costUsd: state.costUsd,
      elapsedS: Math.round((Date.now() - started) / 100) / 10,
      exitCode: result.exitCode,
      dir,
    });
    store.close();
    return { status: result.status, exitCode: result.exitCode, done: state.done.size, target: config.size, dir, reason: result.reason };
  };

  return {
    events,
    dir,
    config,
    start,
    pause: () => withEngine((e) => e.pause()),
    resume: () => withEngine((e) => e.resume()),
    stop: () => {
      if (stopped) return;
      stopped = true;
      // Before the engine exists (topic expansion): start no new node, give those in flight the same grace.
      if (engine) engine.stop();
      else setTimeout(() => early.abort(new Error('stopped')), STOP_GRACE_MS).unref();
    },
    retryFailed: (kinds) => withEngine((e) => e.retryFailed(kinds)),
    raiseBudget: (usd) => withEngine((e) => e.raiseBudget(usd)),
    removeSample: (id) => {
      const sample = readSamplesById(dir, id);
      if (!sample) return;
      store.removed.append({ id, slot: sample.slot, at: new Date().toISOString(), reason: 'removed in the sample browser' });
    },
    snapshot: () =>
      engine?.snapshot() ?? {
        done: 0, target: config.size, failedSlots: 0, inFlight: 0, queued: config.size, requests: 0, ratePerMin: 0, etaS: null,
        tokens: { input: 0, output: 0 }, costUsd: 0, projectedUsd: null, budgetUsd: config.budget_usd, limiter: { state: 'ok' }, failures: {}, paused: false,
      },
  };
}

function readSamplesById(dir: string, id: string): Sample | undefined {
  let found: Sample | undefined;
  forEachLine(join(dir, FILES.samples), ({ line, terminated }) => {
    if (found || !terminated || !line.includes(id)) return;
    const s = JSON.parse(line) as Sample;
    if (s.id === id) found = s;
  });
  return found;
}
