/**
 * SPEC 6: the scheduler, the engine's whole loop (kept in one file on purpose, under 400 lines, so that a
 * reader finds the loop in one place; its parts live beside it: retry-book, pace, sample, stages/). It
 * decides what runs next (a queue of slot groups, retries after their backoff, the budget cap, pause and
 * stop), hands each request to the executor (the live pool, or a provider batch), books every answer in
 * the ledger, and passes each example through the sample stages; an accepted one is appended to
 * samples.jsonl, a rejected one recorded in failures.jsonl and retried with feedback. Auth and quota
 * errors, and sustained failure, stop the run with a clear reason.
 */
import { backoffDelay } from './backoff.js';
import type { Config } from './config.js';
import type { EventBus, ProgressCounts, RunEndStatus } from './events.js';
import type { Executor } from './executor.js';
import { answerSchema, kindOf, type DatasetKind } from './kinds/index.js';
import type { RunLedger } from './ledger.js';
import type { RateLimiter } from './limiter.js';
import type { DuplicateIndex } from './minhash.js';
import { groupsWithInFlight } from './batch/groups.js';
import type { Plan } from './plan.js';
import { feedbackTurns } from './prompts.js';
import { sampleRequest, type Feedback } from './requests.js';
import type { SessionStore } from './session/index.js';
import { duplicateVerdict, parseAnswer, runStages, usageShare, type Candidate, type SampleStage, type StageContext } from './stages/index.js';
import { Alarm, Throughput } from './pace.js';
import { RetryBook, type RetryPolicyOptions } from './retry-book.js';
import { buildSample } from './sample.js';
import { describeDiskFault, diskFault, DISK_FAULT_EXIT, tryWrite } from './disk-fault.js';
import { TRANSIENT_KINDS, type FailureKind, type SessionStatus, type SlotSpec, type Usage } from './types.js';

export { SUSTAINED_FAILURES } from './retry-book.js';
/** How long a graceful stop waits for requests in flight before abandoning them. */
export const STOP_GRACE_MS = 5_000;
const PROGRESS_EVERY_MS = 250;
const SAVE_EVERY_MS = 2_000;

interface Job {
  slots: SlotSpec[];
  feedback: Feedback;
  readyAt: number;
}

export interface EngineOptions {
  config: Config;
  plan: Plan;
  /** Every slot of the plan; done ones are skipped. */
  slots: SlotSpec[];
  executor: Executor;
  limiter: RateLimiter;
  store: SessionStore;
  events: EventBus;
  dedup: DuplicateIndex;
  ledger: RunLedger;
  stages: SampleStage[];
  /** Samples are labelled demo data (the offline demo provider). */
  demo: boolean;
  /** What a budget stop does: end the run (headless, exit 3) or wait for raiseBudget (TUI). */
  onBudget: 'end' | 'wait';
  /** Builds a slot group's request instead of sampleRequest (grounded slots, few-shot examples). */
  buildRequest?: (slots: SlotSpec[], maxOutputTokens: number, feedback: Feedback) => ReturnType<typeof sampleRequest>;
  /** The circuit breaker's timings and the Retry-After cap (tests shorten them). */
  retryPolicy?: RetryPolicyOptions;
}

export interface EngineResult {
  status: RunEndStatus;
  sessionStatus: SessionStatus;
  exitCode: number;
  reason?: string;
}

type FailDetails = { status?: number; raw?: string; retryAfterMs?: number; feedback?: string; usage?: Usage };

export class Engine {
  private readonly queue: Job[] = [];
  private readonly controllers = new Set<AbortController>();
  private readonly retries: RetryBook;
  private readonly accepted = new Throughput();
  private readonly bySlot: Map<string, SlotSpec>;
  private readonly kind: DatasetKind;
  private readonly schema;
  private readonly ctx: StageContext;
  /** Slots of jobs the executor holds that have not left yet (pacing waits): still queued for the user. */
  private waitingSlots = 0;
  private nextRequestId = 1;
  private paused = false;
  private budgetBlocked = false;
  private stopping = false;
  private readonly alarm = new Alarm();

  constructor(private readonly o: EngineOptions) {
    this.retries = new RetryBook(o.retryPolicy);
    this.kind = kindOf(o.config);
    this.schema = answerSchema(o.config);
    this.bySlot = new Map(o.slots.map((s) => [s.id, s]));
    this.ctx = { config: o.config, kind: this.kind, dedup: o.dedup, ledger: o.ledger };
    const open = o.slots.filter((s) => !o.ledger.done.has(s.id) && !o.ledger.exhausted.has(s.id));
    for (const slots of groupsWithInFlight(open, o.config.provider.samples_per_call, o.executor.inFlightGroups?.())) this.queue.push({ slots, feedback: [], readyAt: 0 });
  }

  // ------------------------------------------------------------------ controls (from views)

  pause(): void {
    if (this.paused || this.stopping) return;
    this.paused = true;
    this.o.store.setStatus('paused');
    this.o.events.emit({ type: 'paused', reason: 'user', message: 'paused: requests in flight finish, no new ones start', costUsd: this.o.ledger.costUsd, budgetUsd: this.o.config.budget_usd });
    this.wake();
  }

  resume(): void {
    if (!this.paused && !this.budgetBlocked) return;
    this.paused = false;
    this.o.store.setStatus('running');
    this.o.events.emit({ type: 'resumed', budgetUsd: this.o.config.budget_usd });
    this.wake();
  }

  stop(reason = 'stopped by the user'): void {
    if (this.stopping) return;
    this.stopping = true;
    this.o.events.emit({ type: 'stopping', reason, inFlight: this.o.executor.inFlight });
    setTimeout(() => this.controllers.forEach((c) => c.abort(new Error('stopped'))), STOP_GRACE_MS).unref();
    this.wake();
  }

  raiseBudget(usd: number): void {
    this.o.config.budget_usd = usd;
    this.o.store.session.config.budget_usd = usd;
    this.budgetBlocked = false;
    this.resume();
    this.wake();
  }

  /** Queues the slots that gave up (of the given kinds) again; says so with a `retry_queued` event. */
  retryFailed(kinds?: FailureKind[]): number {
    const slots = [...this.o.ledger.exhausted].filter(([, kind]) => !kinds || kinds.includes(kind)).map(([id]) => this.bySlot.get(id)!).filter(Boolean);
    for (const s of slots) {
      this.o.ledger.exhausted.delete(s.id);
      this.retries.forget(s.id);
      this.queue.push({ slots: [s], feedback: [], readyAt: 0 });
    }
    this.o.events.emit({ type: 'retry_queued', slots: slots.length, kinds: kinds ?? null });
    this.wake();
    return slots.length;
  }

  /** A sample removed while the run is live: its slot is open again and is filled again. */
  reopen(slotId: string): void {
    const slot = this.bySlot.get(slotId);
    if (!slot || !this.o.ledger.done.delete(slotId)) return;
    if (!this.stopping && !this.retries.fatal) this.queue.push({ slots: [slot], feedback: [], readyAt: 0 });
    this.wake();
  }

  snapshot(): ProgressCounts {
    const ratePerMin = this.accepted.perMinute();
    const open = this.o.ledger.open;
    return this.o.ledger.toProgress({
      inFlight: this.o.executor.sending,
      // Slots waiting to be sent, whether in the queue or in a pacing wait: a pause moves them, not adds them.
      queued: this.queue.reduce((n, j) => n + j.slots.length, 0) + this.waitingSlots,
      ratePerMin,
      etaS: ratePerMin > 0 ? Math.round((open / ratePerMin) * 60) : null,
      limiter: this.o.limiter.state(),
      paused: this.paused || this.budgetBlocked,
      budgetUsd: this.o.config.budget_usd,
    });
  }

  // ------------------------------------------------------------------ the loop

  /** Jobs sent and not finished: the answer's examples may still be in (async) stages after the executor is done. */
  private open = 0;

  async run(): Promise<EngineResult> {
    const { store, events } = this.o;
    store.setStatus('running');
    const progress = setInterval(() => events.emit({ type: 'progress', ...this.snapshot() }), PROGRESS_EVERY_MS);
    const saver = setInterval(() => {
      const f = tryWrite(() => this.persist());
      if (f && !this.retries.fatal) this.retries.fatal = { reason: describeDiskFault(f, store.dir), exitCode: DISK_FAULT_EXIT, interrupted: true };
    }, SAVE_EVERY_MS);
    try {
      for (;;) {
        const busy = (): boolean => this.o.executor.inFlight > 0 || this.open > 0;
        if (this.retries.fatal || this.stopping) {
          if (!busy()) break;
        } else if (!this.paused && !this.budgetBlocked) {
          this.dispatchReady();
          if (this.retries.fatal && this.o.executor.inFlight === 0) break; // the breaker gave up
        }
        if (!this.stopping && !this.retries.fatal && this.queue.length === 0 && !busy()) break;
        if (this.budgetBlocked && !busy() && !this.paused) {
          if (this.o.onBudget === 'end') break;
          this.paused = true;
          store.setStatus('budget_paused');
          events.emit({ type: 'paused', reason: 'budget', message: `budget cap of $${this.o.config.budget_usd.toFixed(2)} reached`, costUsd: this.o.ledger.costUsd, budgetUsd: this.o.config.budget_usd });
        }
        await this.sleepUntilWoken();
      }
    } finally {
      clearInterval(progress);
      clearInterval(saver);
    }
    events.emit({ type: 'progress', ...this.snapshot() });
    return this.finish();
  }

  private finish(): EngineResult {
    const l = this.o.ledger;
    const allDone = l.unfilled === 0;
    const unfilled = `${l.unfilled} of ${l.target} slots unfilled`;
    let result: EngineResult;
    const fatal = this.retries.fatal;
    if (fatal?.interrupted) result = { status: 'interrupted', sessionStatus: 'interrupted', exitCode: fatal.exitCode, reason: fatal.reason };
    else if (fatal) result = { status: 'failed', sessionStatus: 'failed', exitCode: fatal.exitCode, reason: fatal.reason };
    else if (this.stopping && !allDone) result = { status: 'interrupted', sessionStatus: 'interrupted', exitCode: 130, reason: 'stopped before the end; resume to continue' };
    else if (this.budgetBlocked && !allDone) result = { status: 'budget', sessionStatus: 'budget_paused', exitCode: 3, reason: `stopped at the budget cap of $${this.o.config.budget_usd.toFixed(2)} (${unfilled}); resume with --budget to continue` };
    else if (!allDone) result = { status: 'incomplete', sessionStatus: 'incomplete', exitCode: 1, reason: `${unfilled} (${l.exhausted.size} gave up after retries)` };
    else result = { status: 'done', sessionStatus: 'done', exitCode: 0 };
    // When the directory takes no writes any more, session.yaml keeps its last saved state (the files hold the rest).
    const f = tryWrite(() => {
      this.persist();
      this.o.store.setStatus(result.sessionStatus, result.reason);
    });
    // Open files still take writes after their directory is deleted: the final save is where that shows.
    if (f && !fatal?.interrupted) result = { status: 'interrupted', sessionStatus: 'interrupted', exitCode: DISK_FAULT_EXIT, reason: describeDiskFault(f, this.o.store.dir) };
    return result;
  }

  private persist(): void {
    this.o.store.session.stats = this.o.ledger.toStats();
    this.o.store.sync();
    this.o.store.save();
  }

  private wake(): void {
    this.alarm.wake();
  }

  /** Sleeps until something happens (an answer, a control) or the next delayed retry is due. */
  private sleepUntilWoken(): Promise<void> {
    const now = Date.now();
    const due = this.queue.reduce((t, j) => (j.readyAt > now ? Math.min(t, j.readyAt) : t), Infinity);
    // An open breaker holds ready jobs back: wake when its wait is over (for the probe).
    const breakerMs = this.queue.length > 0 ? this.retries.breaker.waitRemainingMs() : 0;
    return this.alarm.sleep(breakerMs > 0 && Number.isFinite(breakerMs) ? Math.min(due, now + breakerMs) : due);
  }

  private dispatchReady(): void {
    const now = Date.now();
    while (this.o.executor.capacity() > 0) {
      const index = this.queue.findIndex((j) => j.readyAt <= now);
      if (index === -1) return;
      // Requests in flight have their cost reserved: the cap holds even while their answers are out.
      const e = this.o.plan.estimate;
      const perRequest = this.o.ledger.costPerSampleRequest(e.costUsd !== null && e.calls.total > 0 ? e.costUsd / e.calls.total : 0) * 1.5;
      if (this.o.ledger.costUsd + (this.o.executor.inFlight + 1) * perRequest > this.o.config.budget_usd) {
        this.budgetBlocked = true;
        return;
      }
      if (!this.retries.gate().send) return; // the breaker is open, or its one probe is out
      const [job] = this.queue.splice(index, 1);
      void this.send(job!);
    }
  }

  private async send(job: Job): Promise<void> {
    this.open++;
    const controller = new AbortController();
    this.controllers.add(controller);
    const { config, events, executor, ledger } = this.o;
    const maxTokens = this.o.plan.estimate.maxOutputTokens;
    const prepared = this.o.buildRequest ? this.o.buildRequest(job.slots, maxTokens, job.feedback) : sampleRequest(config, job.slots, maxTokens, job.feedback, executor.dialect);
    const attempt = Math.max(...job.slots.map((s) => this.retries.next(s.id)));
    let waiting = job.slots.length;
    this.waitingSlots += waiting;
    const left = (): void => {
      this.waitingSlots -= waiting;
      waiting = 0;
    };
    try {
      const outcome = await executor.run(
        {
          request: prepared.request,
          slots: job.slots.map((s) => s.id),
          estimateTokens: prepared.estimateTokens,
          // The pacing wait may have been long: a stop, pause or fatal error since then means do not send.
          // (A budget stop does not apply: this request's cost was reserved when it was admitted.)
          stillWanted: () => !(this.stopping || this.paused || this.retries.fatal),
          onStart: () => {
            left();
            events.emit({ type: 'request_start', requestId: this.nextRequestId++, slots: job.slots.map((s) => s.id), attempt, inFlight: executor.sending + 1 });
          },
        },
        controller.signal,
      );
      left();
      if (!outcome.ok) {
        if (outcome.aborted) {
          this.retries.neutral();
          this.queue.unshift(job);
        }
        else this.fail(job, outcome.error.kind, outcome.error.message, { status: outcome.error.status, raw: outcome.error.raw, retryAfterMs: outcome.error.retryAfterMs });
        return;
      }
      const result = outcome.result;
      // Usage the provider already found wrong is booked at the worst case too.
      const booked = ledger.book('samples', result.usageInvalid ? { invalid: result.usageInvalid } : result.usage, executor.price, prepared.worstCase);
      if (booked.problem || result.usageInvalid) events.emit({ type: 'warning', message: `the server reported bad usage (${booked.problem ?? result.usageInvalid}): booked at the request's worst case` });
      const parsed = parseAnswer(result, this.schema, maxTokens, job.slots.length);
      if (!parsed.ok) {
        this.fail(job, parsed.kind, parsed.message, { raw: parsed.raw, feedback: parsed.feedback, usage: booked.usage });
        return;
      }
      const verdicts = await Promise.all(
        job.slots.map(async (slot, i) => {
          const usage = usageShare(booked.usage, i, job.slots.length);
          const example = parsed.examples[i];
          if (!example) {
            this.fail({ slots: [slot], feedback: [], readyAt: 0 }, 'schema', `the answer had ${parsed.examples.length} examples, ${job.slots.length} were asked for`, { usage });
            return false;
          }
          return this.consider({ slot, example, usage, model: result.model, extra: {} });
        }),
      );
      if (verdicts.some(Boolean)) this.retries.succeeded();
    } catch (err) {
      // The session directory stopped taking writes (disk full, read-only, deleted): stop, resumable.
      const f = diskFault(err);
      if (!f) throw err;
      if (!this.retries.fatal) this.retries.fatal = { reason: describeDiskFault(f, this.o.store.dir), exitCode: DISK_FAULT_EXIT, interrupted: true };
    } finally {
      left();
      this.open--;
      this.controllers.delete(controller);
      this.wake();
    }
  }

  /** Runs one example through the stages; accepts it, or fails its slot. True when accepted. */
  private async consider(c: Candidate): Promise<boolean> {
    let verdict = await runStages(this.o.stages, c, this.ctx);
    // The last word on duplicates is synchronous with the append: an async stage may have let a twin in.
    if (verdict.ok) verdict = duplicateVerdict(c, this.ctx);
    if (!verdict.ok) {
      this.fail({ slots: [c.slot], feedback: [], readyAt: 0 }, verdict.kind, verdict.message, { raw: JSON.stringify(c.example).slice(0, 4000), usage: c.usage });
      return false;
    }
    this.accept(c);
    return true;
  }

  private accept(c: Candidate): void {
    const { config, store, events, dedup, ledger } = this.o;
    const sample = buildSample(c, config, this.o.demo);
    store.samples.append(sample);
    dedup.add(c.text!);
    store.dedup.append(sample.id, dedup.lastRecord());
    ledger.done.add(c.slot.id);
    this.accepted.record();
    events.emit({ type: 'sample_accepted', sample, done: ledger.done.size, target: config.size, costUsd: ledger.costUsd });
  }

  private fail(job: Job, kind: FailureKind, message: string, d: FailDetails): void {
    const { config, store, events, ledger } = this.o;
    ledger.countFailure(kind);
    const notice = this.retries.failed(kind, message, d.status);
    if (notice) events.emit({ type: 'warning', message: notice });
    const retry: SlotSpec[] = [];
    let attempt = 0;
    for (const slot of job.slots) {
      const verdict = this.retries.attempt(slot.id, kind, config.provider.max_retries);
      attempt = verdict.attempt;
      const usage = slot === job.slots[0] && d.usage ? { usage: d.usage } : {};
      store.failures.append({ slot: slot.id, attempt, kind, message, ...(d.status ? { status: d.status } : {}), ...(d.raw ? { raw: d.raw } : {}), at: new Date().toISOString(), will_retry: !verdict.exhausted, ...usage });
      events.emit({ type: 'sample_rejected', slot: slot.id, attempt, kind, message, status: d.status, raw: d.raw, willRetry: !verdict.exhausted && !this.retries.fatal });
      if (verdict.exhausted) ledger.exhausted.set(slot.id, kind);
      else if (!this.retries.fatal) retry.push(slot);
    }
    if (retry.length === 0) return;
    const wait = TRANSIENT_KINDS.has(kind) && kind !== 'rate_limit' ? this.retries.retryDelay(d.retryAfterMs, backoffDelay(attempt)) : { ms: 0, notice: null };
    if (wait.notice) events.emit({ type: 'warning', message: wait.notice });
    const delayMs = wait.ms;
    const feedback = TRANSIENT_KINDS.has(kind) ? [] : feedbackTurns(d.feedback, kind === 'truncated' ? `${message}; write shorter examples` : message);
    this.queue.push({ slots: retry, feedback, readyAt: Date.now() + delayMs });
    events.emit({ type: 'retry', slots: retry.map((s) => s.id), attempt: attempt + 1, kind, delayMs });
  }
}
