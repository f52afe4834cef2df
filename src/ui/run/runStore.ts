/**
 * The run dashboard's state: a pure reducer from engine events to what the screens show (the engine
 * announces retries it queued and samples removed, so nothing here guesses), and a zustand vanilla store around it. Memory stays flat however long the run: accepted samples
 * are a bounded ring, failure records are bounded per kind, the milestone log is capped.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineEvent, EventBus, EventOf, ProgressCounts } from '../../core/events.js';
import { formatUsd } from '../../core/prices.js';
import { FAILURE_KINDS, type Failure, type FailureKind, type Sample } from '../../core/types.js';

/** Latest accepted samples kept in memory; older ones are read from samples.jsonl when the browser opens. */
export const SAMPLE_RING = 200;
/** Most recent failure records kept per kind (counts are exact; records are a window). */
export const FAILURES_PER_KIND = 20;
/** Milestone lines kept for the scrollback (`<Static>`); a run writes a few dozen. */
export const LOG_CAP = 300;

export type RunPhase = 'starting' | 'expanding' | 'running' | 'paused' | 'budget_paused' | 'stopping' | 'ended';

export interface FailureGroup {
  kind: FailureKind;
  /** Failed attempts of this kind seen in this process. */
  count: number;
  /** Attempts after which the slot gave up (will_retry false) and not re-queued since. */
  gaveUp: number;
  /** Newest last, at most FAILURES_PER_KIND. */
  recent: Failure[];
}

export interface LogLine {
  id: number;
  text: string;
  tone: 'ok' | 'warn' | 'error' | 'info';
}

export interface PauseInfo {
  reason: 'user' | 'budget';
  message: string;
  costUsd: number;
  budgetUsd: number;
}

export interface RunState {
  session: string;
  dir: string;
  provider: string;
  model: string;
  demo: boolean;
  phase: RunPhase;
  counts: ProgressCounts;
  /** Epoch ms when the limiter state in `counts.limiter` was reported (for a countdown). */
  limiterAt: number;
  topics: { done: number; total: number } | null;
  failures: Partial<Record<FailureKind, FailureGroup>>;
  /** Latest accepted samples, newest last, at most SAMPLE_RING. */
  samples: Sample[];
  /** Samples accepted by this process (the ring holds only the last ones). */
  accepted: number;
  pause: PauseInfo | null;
  stopping: { reason: string; inFlight: number } | null;
  end: EventOf<'run_end'> | null;
  log: LogLine[];
  /** Last 10% step logged as a milestone. */
  milestone: number;
  /** Batch mode: the latest batch figures (null in live mode). */
  batch?: EventOf<'batch'> | null;
}

export type RunAction = EngineEvent;

export function emptyCounts(): ProgressCounts {
  return {
    done: 0,
    target: 0,
    failedSlots: 0,
    unfilled: 0,
    inFlight: 0,
    queued: 0,
    requests: 0,
    ratePerMin: 0,
    etaS: null,
    tokens: { input: 0, output: 0 },
    costUsd: 0,
    spendByStage: { topics: 0, samples: 0, judge: 0 },
    projectedUsd: null,
    budgetUsd: 0,
    limiter: { state: 'ok' },
    failures: {},
    paused: false,
  };
}

/** What the header shows before run_start arrives: the session's own config, so it never reads blank. */
export interface RunIdentity {
  name: string;
  provider: { name: string; model: string };
}

export function initialRunState(counts: ProgressCounts = emptyCounts(), dir = '', config?: RunIdentity): RunState {
  return {
    session: config?.name ?? '',
    dir,
    provider: config?.provider.name ?? '',
    model: config?.provider.model ?? '',
    demo: config?.provider.name === 'demo',
    phase: 'starting',
    counts,
    limiterAt: 0,
    topics: null,
    failures: {},
    samples: [],
    accepted: 0,
    pause: null,
    stopping: null,
    end: null,
    log: [],
    milestone: counts.target > 0 ? Math.floor((counts.done / counts.target) * 10) : 0,
  };
}

function addLog(state: RunState, text: string, tone: LogLine['tone']): LogLine[] {
  if (state.log.length >= LOG_CAP) return state.log;
  const last = state.log[state.log.length - 1];
  return [...state.log, { id: (last?.id ?? 0) + 1, text, tone }];
}

const usd = formatUsd;

function onAccepted(state: RunState, e: EventOf<'sample_accepted'>): RunState {
  const samples = state.samples.length >= SAMPLE_RING ? state.samples.slice(1) : state.samples.slice();
  samples.push(e.sample);
  const counts = { ...state.counts, done: e.done, target: e.target, costUsd: e.costUsd, unfilled: Math.max(0, e.target - e.done) };
  const step = e.target > 0 ? Math.floor((e.done / e.target) * 10) : 0;
  let next: RunState = { ...state, samples, counts, accepted: state.accepted + 1 };
  if (step > state.milestone && step < 10) {
    const text = `${step * 10}% · ${e.done}/${e.target} samples · ${usd(e.costUsd)} spent`;
    next = { ...next, milestone: step, log: addLog(state, text, 'info') };
  }
  return next;
}

function onRejected(state: RunState, e: EventOf<'sample_rejected'>): RunState {
  const record: Failure = {
    slot: e.slot,
    attempt: e.attempt,
    kind: e.kind,
    message: e.message,
    status: e.status,
    raw: e.raw,
    at: e.ts,
    will_retry: e.willRetry,
  };
  const old = state.failures[e.kind] ?? { kind: e.kind, count: 0, gaveUp: 0, recent: [] };
  const recent = old.recent.length >= FAILURES_PER_KIND ? old.recent.slice(1) : old.recent.slice();
  recent.push(record);
  const group: FailureGroup = { kind: e.kind, count: old.count + 1, gaveUp: old.gaveUp + (e.willRetry ? 0 : 1), recent };
  let log = state.log;
  if (!e.willRetry && old.gaveUp === 0) {
    log = addLog(state, `${e.kind}: slot ${e.slot} gave up after ${e.attempt} attempts (${e.message})`, 'error');
  }
  // The engine's counts are the truth; between its progress reports they move with its events.
  const failures = { ...state.counts.failures, [e.kind]: (state.counts.failures[e.kind] ?? 0) + 1 };
  const counts = { ...state.counts, failures, failedSlots: state.counts.failedSlots + (e.willRetry ? 0 : 1) };
  return { ...state, counts, failures: { ...state.failures, [e.kind]: group }, log };
}

function onEnd(state: RunState, e: EventOf<'run_end'>): RunState {
  const counts = { ...state.counts, done: e.done, target: e.target, failedSlots: e.failedSlots, unfilled: e.unfilled, tokens: e.tokens, costUsd: e.costUsd, inFlight: 0 };
  const tone = e.status === 'done' ? 'ok' : e.status === 'failed' ? 'error' : 'warn';
  const why = e.reason ? `: ${e.reason}` : '';
  const text = `run ${e.status}${why} · ${e.done}/${e.target} samples · ${usd(e.costUsd)} · ${Math.round(e.elapsedS)} s`;
  return { ...state, phase: 'ended', counts, end: e, pause: null, log: addLog(state, text, tone) };
}

function onRetryQueued(state: RunState, a: EventOf<'retry_queued'>): RunState {
  const failures = { ...state.failures };
  for (const group of Object.values(state.failures)) {
    if (a.kinds === null || a.kinds.includes(group.kind)) failures[group.kind] = { ...group, gaveUp: 0 };
  }
  const which = a.kinds === null ? 'all' : a.kinds.join(', ');
  const counts = { ...state.counts, failedSlots: Math.max(0, state.counts.failedSlots - a.slots) };
  return { ...state, failures, counts, log: addLog(state, `retrying ${a.slots} failed slot(s): ${which}`, 'info') };
}

function onRemoved(state: RunState, a: EventOf<'sample_removed'>): RunState {
  const counts = { ...state.counts, done: a.done, unfilled: Math.max(0, state.counts.target - a.done) };
  return { ...state, counts, samples: state.samples.filter((s) => s.id !== a.id), log: addLog(state, `removed sample ${a.id.slice(0, 8)} (slot ${a.slot})`, 'info') };
}

/** Pure: the next dashboard state after one event. */
export function reduceRun(state: RunState, a: RunAction): RunState {
  switch (a.type) {
    case 'run_start': {
      const counts = { ...state.counts, done: a.done, target: a.target };
      const resumed = a.done > 0 ? ` (resuming at ${a.done}/${a.target})` : '';
      const text = `session ${a.session} · ${a.provider} ${a.model}${a.demo ? ' (demo)' : ''}${resumed}`;
      const milestone = a.target > 0 ? Math.floor((a.done / a.target) * 10) : 0;
      return { ...state, session: a.session, dir: a.dir, provider: a.provider, model: a.model, demo: a.demo, phase: 'running', counts, milestone, log: addLog(state, text, 'info') };
    }
    case 'plan':
      return state;
    case 'topic_done': {
      const finished = a.done >= a.total;
      const log = finished ? addLog(state, `topics expanded: ${a.total} nodes`, 'info') : state.log;
      return { ...state, phase: finished ? 'running' : 'expanding', topics: { done: a.done, total: a.total }, log };
    }
    case 'request_start':
      return { ...state, counts: { ...state.counts, inFlight: a.inFlight } };
    case 'sample_accepted':
      return onAccepted(state, a);
    case 'sample_rejected':
      return onRejected(state, a);
    case 'retry':
      return state;
    case 'rate_limit':
      return { ...state, counts: { ...state.counts, limiter: { state: 'waiting', reason: a.reason, waitMs: a.waitMs } }, limiterAt: Date.parse(a.ts) };
    case 'progress': {
      const { type: _t, ts, ...counts } = a;
      const phase = state.phase === 'starting' ? 'running' : state.phase;
      return { ...state, counts, limiterAt: Date.parse(ts), phase };
    }
    case 'paused': {
      const pause: PauseInfo = { reason: a.reason, message: a.message, costUsd: a.costUsd, budgetUsd: a.budgetUsd };
      const phase = a.reason === 'budget' ? 'budget_paused' : 'paused';
      const text = a.reason === 'budget' ? `paused at the budget cap: ${usd(a.costUsd)} of ${usd(a.budgetUsd)}` : 'paused';
      return { ...state, phase, pause, counts: { ...state.counts, paused: true }, log: addLog(state, text, 'warn') };
    }
    case 'resumed': {
      const raised = state.pause?.reason === 'budget' ? ` with a cap of ${usd(a.budgetUsd)}` : '';
      const counts = { ...state.counts, paused: false, budgetUsd: a.budgetUsd };
      const phase = state.stopping ? 'stopping' : 'running';
      return { ...state, phase, pause: null, counts, log: addLog(state, `resumed${raised}`, 'info') };
    }
    case 'stopping':
      return { ...state, phase: 'stopping', pause: null, stopping: { reason: a.reason, inFlight: a.inFlight }, log: addLog(state, `stopping: ${a.reason}`, 'warn') };
    case 'run_end':
      return onEnd(state, a);
    case 'retry_queued':
      return onRetryQueued(state, a);
    case 'sample_removed':
      return onRemoved(state, a);
    case 'topics_failed':
      return { ...state, log: addLog(state, `topic expansion failed for ${a.nodes.length} node(s): ${a.nodes.map((n) => n.path.join(' > ') || 'root').slice(0, 3).join('; ')}`, 'error') };
    case 'warning':
      return { ...state, log: addLog(state, a.message, 'warn') };
    case 'batch':
      return { ...state, batch: a };
  }
}

export type RunStore = StoreApi<RunState> & { dispatch(action: RunAction): void };

export function createRunStore(initial: RunState = initialRunState()): RunStore {
  const store = createStore<RunState>()(() => initial);
  return Object.assign(store, { dispatch: (action: RunAction) => store.setState(reduceRun(store.getState(), action), true) });
}

/** Feeds every engine event into the store; returns the unsubscribe function. */
export function connectRunStore(bus: EventBus, store: RunStore): () => void {
  return bus.on((event) => store.dispatch(event));
}

/** Failed attempts of a kind: the engine's running total (which includes earlier runs of a resumed session). */
export function failureCount(state: RunState, kind: FailureKind): number {
  return state.counts.failures[kind] ?? 0;
}

/** Kinds with at least one failure, in the contract's order. */
export function failedKinds(state: RunState): FailureKind[] {
  return FAILURE_KINDS.filter((k) => failureCount(state, k) > 0);
}

/** Slots whose retries are exhausted (the engine's count). */
export function slotsGaveUp(state: RunState): number {
  return state.counts.failedSlots;
}
