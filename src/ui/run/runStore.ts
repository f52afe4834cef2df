/**
 * The run dashboard's state: a pure reducer from engine events (plus two UI intents) to what the screens
 * show, and a zustand vanilla store around it. Memory stays flat however long the run: accepted samples
 * are a bounded ring, failure records are bounded per kind, the milestone log is capped.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineEvent, EventBus, EventOf, ProgressCounts } from '../../core/events.js';
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
}

/** What the user asked for in the UI that the engine does not echo as an event. */
export type UiAction =
  | { type: 'ui_retry'; ts: string; kinds: FailureKind[] | null; slots: number }
  | { type: 'ui_removed'; ts: string; id: string };

export type RunAction = EngineEvent | UiAction;

export function emptyCounts(): ProgressCounts {
  return {
    done: 0,
    target: 0,
    failedSlots: 0,
    inFlight: 0,
    queued: 0,
    requests: 0,
    ratePerMin: 0,
    etaS: null,
    tokens: { input: 0, output: 0 },
    costUsd: 0,
    projectedUsd: null,
    budgetUsd: 0,
    limiter: { state: 'ok' },
    failures: {},
    paused: false,
  };
}

export function initialRunState(counts: ProgressCounts = emptyCounts(), dir = ''): RunState {
  return {
    session: '',
    dir,
    provider: '',
    model: '',
    demo: false,
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

function usd(n: number): string {
  return `$${n.toFixed(n < 10 ? 2 : 0)}`;
}

function onAccepted(state: RunState, e: EventOf<'sample_accepted'>): RunState {
  const samples = state.samples.length >= SAMPLE_RING ? state.samples.slice(1) : state.samples.slice();
  samples.push(e.sample);
  const counts = { ...state.counts, done: e.done, target: e.target };
  const step = e.target > 0 ? Math.floor((e.done / e.target) * 10) : 0;
  let next: RunState = { ...state, samples, counts, accepted: state.accepted + 1 };
  if (step > state.milestone && step < 10) {
    const text = `${step * 10}% · ${e.done}/${e.target} samples · ${usd(state.counts.costUsd)} spent`;
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
  return { ...state, failures: { ...state.failures, [e.kind]: group }, log };
}

function onEnd(state: RunState, e: EventOf<'run_end'>): RunState {
  const counts = { ...state.counts, done: e.done, target: e.target, failedSlots: e.failedSlots, tokens: e.tokens, costUsd: e.costUsd, inFlight: 0 };
  const tone = e.status === 'done' ? 'ok' : e.status === 'failed' ? 'error' : 'warn';
  const why = e.reason ? `: ${e.reason}` : '';
  const text = `run ${e.status}${why} · ${e.done}/${e.target} samples · ${usd(e.costUsd)} · ${Math.round(e.elapsedS)} s`;
  return { ...state, phase: 'ended', counts, end: e, pause: null, log: addLog(state, text, tone) };
}

function onUi(state: RunState, a: UiAction): RunState {
  if (a.type === 'ui_removed') return { ...state, samples: state.samples.filter((s) => s.id !== a.id) };
  const failures = { ...state.failures };
  for (const group of Object.values(state.failures)) {
    if (a.kinds === null || a.kinds.includes(group.kind)) failures[group.kind] = { ...group, gaveUp: 0 };
  }
  const which = a.kinds === null ? 'all' : a.kinds.join(', ');
  return { ...state, failures, log: addLog(state, `retrying ${a.slots} failed slot(s): ${which}`, 'info') };
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
    case 'ui_retry':
    case 'ui_removed':
      return onUi(state, a);
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

/** Failed attempts of a kind: the engine's running total (which includes earlier runs of a resumed session) or ours. */
export function failureCount(state: RunState, kind: FailureKind): number {
  return Math.max(state.failures[kind]?.count ?? 0, state.counts.failures[kind] ?? 0);
}

/** Kinds with at least one failure, in the contract's order. */
export function failedKinds(state: RunState): FailureKind[] {
  return FAILURE_KINDS.filter((k) => failureCount(state, k) > 0);
}

/** Slots whose retries are exhausted: the engine's count, or ours until its next progress report. */
export function slotsGaveUp(state: RunState): number {
  const ours = Object.values(state.failures).reduce((n, g) => n + g.gaveUp, 0);
  return Math.max(state.counts.failedSlots, ours);
}
