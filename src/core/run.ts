/**
 * One run of a session, new or resumed: the session opened once, one ledger, one limiter and one executor
 * for every LLM call the session makes (the plan screen's topic preview included), then the engine. The
 * provider is made by the factory the composition root injects; bad input (a missing key, a locked or
 * changed session) is refused before anything is written.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import { errorMessage, UsageError } from './errors.js';
import { Engine, STOP_GRACE_MS } from './engine.js';
import { EventBus, type ProgressCounts, type RunEndStatus } from './events.js';
import { LiveExecutor } from './executor.js';
import type { RetryPolicyOptions } from './retry-book.js';
import { isDiskFaultReason, tryWrite } from './disk-fault.js';
import { exportSession } from './export/index.js';
import { forEachLine } from './files.js';
import { RunLedger } from './ledger.js';
import { RateLimiter } from './limiter.js';
import { DuplicateIndex } from './minhash.js';
import { buildPlan, type Plan } from './plan.js';
import { priceFor } from './prices.js';
import type { Provider, ProviderFactory } from './provider.js';
import { exhaustedSlots, recoverLedger, type Recovered } from './recover.js';
import { openForResume, pendingTopicsReason, rebuildDedup, runTopicPhase } from './run-setup.js';
import { appendRemoval, FILES, readSessionFile, SessionStore } from './session/index.js';
import { slotSpecs } from './slots.js';
import { stagesFor, type SampleStage } from './stages/index.js';
import { runBatchExecutor, type BatchClientFactory, type RunBatchExecutor } from './batch/run-executor.js';
import { qualityStages } from './stages/quality.js';
import { judgeExecutorFor, makeJudgeProvider } from './judge-provider.js';
import { FatalRunError } from './topics.js';
import { checkGroundingInputs, prepareRunGrounding, startGrounding } from './grounding/runtime.js';
import type { FailureKind, Sample, Topic } from './types.js';

export { changesSinceApproval } from './run-setup.js';

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
  /** Makes the run's provider from the config's provider section (the composition root's factory). */
  providers: ProviderFactory;
  /** End the run at the budget cap (headless) or wait for raiseBudget (TUI). Default 'end'. */
  onBudget?: 'end' | 'wait';
  /** Sample stages run after the built-in gates (judge, PII, grounding checks). */
  extraStages?: SampleStage[];
  /** Makes the batch client for `provider.mode: batch` (the composition root's; src/providers/batch.ts). */
  batchClients?: BatchClientFactory;
  /** The config file's folder: `sources` and `examples` paths are relative to it (default: the cwd). */
  baseDir?: string;
  /** Circuit breaker timings and the Retry-After cap (core/retry-book.ts); tests shorten them. */
  retryPolicy?: RetryPolicyOptions;
}

export interface RunResult {
  status: RunEndStatus;
  exitCode: number;
  done: number;
  target: number;
  dir: string;
  reason?: string;
}

export interface TopicPreviewResult {
  tree: Topic;
  costUsd: number;
  failed: { id: string; path: string[]; message: string }[];
}

export interface RunHandle {
  readonly events: EventBus;
  readonly dir: string;
  readonly config: Config;
  /** Topic expansion before approval, through this run's limiter, ledger and journal. */
  previewTopics(): Promise<TopicPreviewResult>;
  /** The plan approved after a preview (its tree edited): what start() runs. Same config only. */
  approve(plan: Plan): void;
  start(): Promise<RunResult>;
  pause(): void;
  resume(): void;
  stop(): void;
  retryFailed(kinds?: FailureKind[]): void;
  raiseBudget(usd: number): void;
  removeSample(id: string): void;
  snapshot(): ProgressCounts;
  /** Gives up the session without starting (a preview the user walked away from): releases the lock. */
  close(): void;
}

function zeroCounts(config: Config, ledger: RunLedger | null): ProgressCounts {
  const live = { inFlight: 0, queued: ledger ? ledger.open : config.size, ratePerMin: 0, etaS: null, limiter: { state: 'ok' as const }, paused: false, budgetUsd: config.budget_usd };
  return (ledger ?? new RunLedger(config.size)).toProgress(live);
}

export function createRun(opts: StartRunOptions): RunHandle {
  if (!opts.resume && !opts.config) throw new UsageError('a config is needed to start a new session');
  if (opts.resume && !opts.dir) throw new UsageError('resume needs the session directory');
  // The provider first: a missing key is refused before anything is written.
  const peekConfig = opts.config ?? readSessionFile(opts.dir!).config;
  const provider: Provider = opts.providers(peekConfig.provider);
  const judgeProvider = makeJudgeProvider(peekConfig, opts.providers);
  let store: SessionStore;
  let config: Config;
  let plan: Plan;
  if (opts.resume) {
    ({ store, config, plan } = openForResume({ dir: opts.dir!, budgetUsd: opts.budgetUsd, concurrency: opts.concurrency, acceptPlanChange: opts.acceptPlanChange }));
  } else {
    config = structuredClone(opts.config!);
    checkGroundingInputs(config, opts.baseDir);
    plan = opts.plan ?? buildPlan(config);
    store = SessionStore.create(opts.dir ?? join(config.output_dir, config.name), config, plan);
  }
  const dir = store.dir;
  const events = new EventBus();
  const limiter = new RateLimiter({ rpm: config.provider.rpm, tpm: config.provider.tpm, retryAfterCapMs: opts.retryPolicy?.retryAfterCapMs });
  limiter.onWait = (waitMs, reason) => events.emit({ type: 'rate_limit', waitMs, reason });
  limiter.onLongWait = (message) => events.emit({ type: 'warning', message });
  // Topic expansion is live (and live price); with mode batch, sample requests go through the batch executor.
  const executor = new LiveExecutor(provider, limiter, config.provider.concurrency, priceFor(config, 'live'));
  const batchMode = config.provider.mode === 'batch' && opts.batchClients !== undefined;
  const batchClient = batchMode ? opts.batchClients!(config.provider) : null;
  let batch: RunBatchExecutor | null = null;
  const quality = qualityStages(config, judgeExecutorFor(config, judgeProvider, executor));
  let engine: Engine | null = null;
  let recovered: Recovered | null = null;
  let stopped = false;
  let started = false;
  // Stops topic expansion (the only work before the engine exists) when the user stops early.
  const early = new AbortController();
  const pending: ((e: Engine) => void)[] = [];
  const withEngine = (fn: (e: Engine) => void) => (engine ? fn(engine) : pending.push(fn));

  /** The session's records read once and the ledger recovered from them (first preview or start). */
  const open = (): Recovered => {
    if (recovered) return recovered;
    try {
      recovered = recoverLedger(store.read(), config, store.session.stats);
    } catch (err) {
      store.close(); // a damaged session is refused as it is: no status change
      throw err;
    }
    if (recovered.badUsageLines > 0) events.emit({ type: 'warning', message: `${recovered.badUsageLines} line(s) in the session's files had usage that is not two non-negative whole numbers: not counted` });
    return recovered;
  };
  const save = (ledger: RunLedger): void => {
    store.session.stats = ledger.toStats();
    store.save();
  };
  const topicPhase = (ledger: RunLedger) => runTopicPhase({ config, store, executor, ledger, events, signal: early.signal, shouldStop: () => stopped });

  const previewTopics = async (): Promise<TopicPreviewResult> => {
    const { ledger } = open();
    const before = ledger.spend.topics.cost_usd;
    const result = await topicPhase(ledger);
    save(ledger);
    return { tree: result.tree, failed: result.failed, costUsd: ledger.spend.topics.cost_usd - before };
  };

  const approve = (approved: Plan): void => {
    if (started) throw new Error('this run was started already');
    if (approved.fingerprint !== plan.fingerprint) throw new UsageError('the approved plan is for other settings than this session: start a new run');
    plan = approved;
    store.savePlan(plan);
  };

  const start = async (): Promise<RunResult> => {
    if (started) throw new Error('this run was started already');
    started = true;
    const startedAt = Date.now();
    // Documents and examples read (and the plan's slots made from the chunks) before the ledger is opened.
    const grounding = await prepareRunGrounding(config, opts.baseDir, plan);
    if (grounding?.slots) plan = startGrounding({ grounding, config, plan, store, events, baseDir: opts.baseDir });
    const { ledger, lastFailure } = open();
    const tornLines = store.read().scan.tornLines;
    events.emit({ type: 'run_start', session: config.name, dir, provider: provider.name, model: provider.model, target: config.size, done: ledger.done.size, demo: provider.demo, tornLines });
    if (config.provider.mode === 'batch' && !batchClient) events.emit({ type: 'warning', message: 'provider.mode batch: no batch client was given, so requests are sent live and priced at the live price' });
    let result: { status: RunEndStatus; exitCode: number; reason?: string };
    try {
      if (!plan.expanded) {
        store.setStatus('expanding');
        const expanded = await topicPhase(ledger);
        if (stopped) throw new Error('stopped during topic expansion');
        if (expanded.failed.length > 0) throw new FatalRunError(pendingTopicsReason(expanded.failed), 1);
        plan = buildPlan(config, expanded.tree);
        store.savePlan(plan);
      }
      events.emit({ type: 'plan', leaves: plan.leaves.length, slots: config.size, estimateUsd: plan.estimate.costUsd, fingerprint: plan.fingerprint });
      const slots = grounding?.slots ?? slotSpecs(config, plan.leaves);
      if (!opts.retryFailed) ledger.exhausted = exhaustedSlots(lastFailure, new Set(slots.map((s) => s.id)), ledger.done);
      const dedup = new DuplicateIndex();
      rebuildDedup(store, dedup);
      if (batchClient) batch = runBatchExecutor(config, dir, batchClient, events);
      engine = new Engine({ config, plan, slots, executor: batch?.executor ?? executor, limiter, store, events, dedup, ledger, stages: stagesFor(config, [...(grounding?.stages ?? []), ...quality, ...(opts.extraStages ?? [])]), demo: provider.demo, onBudget: opts.onBudget ?? 'end', buildRequest: grounding?.buildRequest, retryPolicy: opts.retryPolicy });
      pending.splice(0).forEach((fn) => fn(engine!));
      if (stopped) engine.stop();
      result = await engine.run();
    } catch (err) {
      const reason = stopped ? 'stopped before the end; resume to continue' : err instanceof FatalRunError ? err.message : errorMessage(err);
      const exitCode = stopped ? 130 : err instanceof FatalRunError ? err.exitCode : 1;
      const status: RunEndStatus = stopped ? 'interrupted' : err instanceof FatalRunError && err.exitCode === 1 ? 'incomplete' : 'failed';
      result = { status, exitCode, reason };
      store.session.stats = ledger.toStats();
      store.setStatus(stopped ? 'interrupted' : status === 'incomplete' ? 'incomplete' : 'failed', reason);
    }
    batch?.close();
    if (ledger.done.size > 0 && !isDiskFaultReason(result.reason)) {
      try {
        exportSession(dir);
      } catch (err) {
        result.reason = `${result.reason ? `${result.reason}; ` : ''}export failed: ${errorMessage(err)}`;
        if (result.exitCode === 0) result.exitCode = 1;
      }
    }
    events.emit({
      type: 'run_end',
      status: result.status,
      sessionStatus: store.session.status,
      reason: result.reason,
      done: ledger.done.size,
      target: config.size,
      failedSlots: ledger.exhausted.size,
      unfilled: ledger.unfilled,
      tokens: ledger.tokens,
      costUsd: ledger.costUsd,
      elapsedS: Math.round((Date.now() - startedAt) / 100) / 10,
      exitCode: result.exitCode,
      dir,
    });
    tryWrite(() => store.close()); // a directory deleted or made read-only: nothing more to release
    return { status: result.status, exitCode: result.exitCode, done: ledger.done.size, target: config.size, dir, reason: result.reason };
  };

  const removeSample = (id: string): void => {
    const sample = readSampleById(dir, id);
    if (!sample) return;
    const record = { id, slot: sample.slot, at: new Date().toISOString(), reason: 'removed in the sample browser' };
    // After the run ended the store is closed: the removal takes the lock for its one append.
    if (store.isClosed) appendRemoval(dir, record);
    else store.removed.append(record);
    const ledger = recovered?.ledger;
    if (engine && !store.isClosed) engine.reopen(sample.slot);
    else ledger?.done.delete(sample.slot);
    events.emit({ type: 'sample_removed', id, slot: sample.slot, done: ledger?.done.size ?? 0 });
  };

  return {
    events,
    dir,
    config,
    previewTopics,
    approve,
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
    removeSample,
    snapshot: () => engine?.snapshot() ?? zeroCounts(config, recovered?.ledger ?? null),
    close: () => {
      if (started) return;
      early.abort(new Error('closed'));
      store.close();
    },
  };
}

function readSampleById(dir: string, id: string): Sample | undefined {
  let found: Sample | undefined;
  forEachLine(join(dir, FILES.samples), ({ line, terminated }) => {
    if (found || !terminated || !line.includes(id)) return;
    const s = JSON.parse(line) as Sample;
    if (s.id === id) found = s;
  });
  return found;
}
