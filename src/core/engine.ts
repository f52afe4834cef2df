/**
 * SPEC 6: the run loop. A continuous pool: a request starts as soon as one finishes, up to `concurrency`,
 * paced by the RateLimiter. Each answer is validated, passed through the quality gates and either appended
 * to samples.jsonl or recorded in failures.jsonl and retried. Auth and quota errors, and sustained failure,
 * open the circuit and stop the run; the budget pauses it before the cap would be exceeded.
 */
import { randomUUID } from 'node:crypto';
import type { Provider } from '../providers/types.js';
import { ProviderError } from '../providers/types.js';
import { interpretAnswer } from './answer.js';
import { backoffDelay } from './backoff.js';
import type { Config } from './config.js';
import type { EventBus, FailureCounts, ProgressCounts, RunEndStatus } from './events.js';
import type { RateLimiter } from './limiter.js';
import { requestGroups, type Plan } from './plan.js';
import { costOf, priceFor } from './prices.js';
import { answerSchema, feedbackTurns, samplePrompt, SAMPLE_SCHEMA_NAME, toolNamesOf, type GeneratedExample } from './prompts.js';
import { checkConversation, conversationText, type DuplicateIndex } from './quality.js';
import type { SessionStore } from './session.js';
import { endsTheRun, fatalExitCode, fatalReason, TRANSIENT_KINDS, type FailureKind, type Message, type Sample, type SessionStatus, type SlotSpec, type TokenCounts } from './types.js';

/** Failures in a row (rate limits aside) that stop the run: retrying would only burn money. */
export const SUSTAINED_FAILURES = 20;
/** How long a graceful stop waits for requests in flight before abandoning them. */
export const STOP_GRACE_MS = 5_000;
const PROGRESS_EVERY_MS = 250;
const SAVE_EVERY_MS = 2_000;
const RATE_WINDOW_MS = 30_000;

interface Job {
  slots: SlotSpec[];
  feedback: { role: 'user' | 'assistant'; content: string }[];
  readyAt: number;
}

export interface EngineState {
  done: Set<string>;
  /** Slots whose retries are exhausted, with the kind of their last failure. */
  exhausted: Map<string, FailureKind>;
  tokens: TokenCounts;
  costUsd: number;
  requests: number;
  failures: FailureCounts;
  duplicates: number;
  elapsedS: number;
}

export interface EngineOptions {
  config: Config;
  plan: Plan;
  slots: SlotSpec[];
  provider: Provider;
  store: SessionStore;
  events: EventBus;
  limiter: RateLimiter;
  dedup: DuplicateIndex;
  state: EngineState;
  /** What a budget stop does: end the run (headless, exit 3) or wait for raiseBudget (TUI). */
  onBudget: 'end' | 'wait';
}

export interface EngineResult {
  status: RunEndStatus;
  sessionStatus: SessionStatus;
  exitCode: number;
  reason?: string;
}

export class Engine {
  private readonly queue: Job[] = [];
  private readonly inFlight = new Map<number, AbortController>();
  private readonly attempts = new Map<string, number>();
  private readonly accepted: number[] = [];
  private readonly price;
  private readonly schema;
  private nextRequestId = 1;
  private sending = 0;
  private consecutiveFailures = 0;
  private paused = false;
  private budgetBlocked = false;
  private stopping = false;
  private fatal: { reason: string; exitCode: number } | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly started = Date.now();

  constructor(private readonly o: EngineOptions) {
    this.price = priceFor(o.config);
    this.schema = answerSchema(o.config.conversation.type, toolNamesOf(o.config));
    const open = o.slots.filter((s) => !o.state.exhausted.has(s.id));
    for (const slots of requestGroups(open, o.config.provider.samples_per_call)) this.queue.push({ slots, feedback: [], readyAt: 0 });
  }

  // ------------------------------------------------------------------ controls (from views)

  pause(): void {
    if (this.paused || this.stopping) return;
    this.paused = true;
    this.o.store.setStatus('paused');
    this.o.events.emit({ type: 'paused', reason: 'user', message: 'paused: requests in flight finish, no new ones start', costUsd: this.o.state.costUsd, budgetUsd: this.o.config.budget_usd });
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
    this.o.events.emit({ type: 'stopping', reason, inFlight: this.inFlight.size });
    setTimeout(() => this.inFlight.forEach((c) => c.abort(new Error('stopped'))), STOP_GRACE_MS).unref();
    this.wake();
  }

  raiseBudget(usd: number): void {
    this.o.config.budget_usd = usd;
    this.o.store.session.config.budget_usd = usd;
    this.budgetBlocked = false;
    this.resume();
    this.wake();
  }

  retryFailed(kinds?: FailureKind[]): number {
    const slots = this.o.slots.filter((s) => {
      const kind = this.o.state.exhausted.get(s.id);
      return kind !== undefined && (!kinds || kinds.includes(kind));
    });
    for (const s of slots) {
      this.o.state.exhausted.delete(s.id);
      this.attempts.delete(s.id);
      this.queue.push({ slots: [s], feedback: [], readyAt: 0 });
    }
    this.wake();
    return slots.length;
  }

  snapshot(): ProgressCounts {
    const s = this.o.state;
    const now = Date.now();
    while (this.accepted.length > 0 && this.accepted[0]! < now - RATE_WINDOW_MS) this.accepted.shift();
    const windowS = Math.min(RATE_WINDOW_MS, now - this.started) / 1000;
    const ratePerMin = windowS > 1 ? (this.accepted.length / windowS) * 60 : 0;
    const target = this.o.config.size;
    const remaining = Math.max(0, target - s.done.size);
    const perSample = s.done.size > 0 ? s.costUsd / s.done.size : null;
    return {
      done: s.done.size,
      target,
      failedSlots: s.exhausted.size,
      inFlight: this.sending,
      queued: this.queue.reduce((n, j) => n + j.slots.length, 0),
      requests: s.requests,
      ratePerMin,
      etaS: ratePerMin > 0 ? Math.round((remaining / ratePerMin) * 60) : null,
      tokens: { ...s.tokens },
      costUsd: s.costUsd,
      projectedUsd: perSample === null ? null : s.costUsd + perSample * Math.max(0, target - s.done.size),
      budgetUsd: this.o.config.budget_usd,
      limiter: this.o.limiter.state(),
      failures: { ...s.failures },
      paused: this.paused || this.budgetBlocked,
    };
  }

  // ------------------------------------------------------------------ the loop

  async run(): Promise<EngineResult> {
    const { store, events } = this.o;
    store.setStatus('running');
    const progress = setInterval(() => events.emit({ type: 'progress', ...this.snapshot() }), PROGRESS_EVERY_MS);
    const saver = setInterval(() => this.persist(), SAVE_EVERY_MS);
    try {
      for (;;) {
        if (this.fatal || this.stopping) {
          if (this.inFlight.size === 0) break;
        } else if (!this.paused && !this.budgetBlocked) {
          this.dispatchReady();
        }
        if (!this.stopping && !this.fatal && this.queue.length === 0 && this.inFlight.size === 0) break;
        if (this.budgetBlocked && this.inFlight.size === 0 && !this.paused) {
          if (this.o.onBudget === 'end') break;
          this.paused = true;
          store.setStatus('budget_paused');
          events.emit({ type: 'paused', reason: 'budget', message: `budget cap of $${this.o.config.budget_usd} reached`, costUsd: this.o.state.costUsd, budgetUsd: this.o.config.budget_usd });
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
    const s = this.o.state;
    const allDone = this.o.slots.every((x) => s.done.has(x.id));
    let result: EngineResult;
    if (this.fatal) result = { status: 'failed', sessionStatus: 'failed', exitCode: this.fatal.exitCode, reason: this.fatal.reason };
    else if (this.stopping && !allDone) result = { status: 'interrupted', sessionStatus: 'interrupted', exitCode: 130, reason: 'stopped before the end; resume to continue' };
    else if (this.budgetBlocked && !allDone) result = { status: 'budget', sessionStatus: 'budget_paused', exitCode: 3, reason: `stopped at the budget cap of $${this.o.config.budget_usd}; resume with --budget to continue` };
    else if (!allDone) result = { status: 'incomplete', sessionStatus: 'incomplete', exitCode: 1, reason: `${s.exhausted.size} slots stayed unfilled after retries` };
    else result = { status: 'done', sessionStatus: 'done', exitCode: 0 };
    this.persist();
    this.o.store.setStatus(result.sessionStatus, result.reason);
    return result;
  }

  private persist(): void {
    const s = this.o.state;
    const stats = this.o.store.session.stats;
    Object.assign(stats, {
      done: s.done.size,
      target: this.o.config.size,
      failed_slots: s.exhausted.size,
      requests: s.requests,
      tokens: { ...s.tokens },
      cost_usd: Number(s.costUsd.toFixed(6)),
      failures: { ...s.failures },
      duplicates: s.duplicates,
      elapsed_s: Math.round((s.elapsedS + (Date.now() - this.started) / 1000) * 10) / 10,
    });
    this.o.store.sync();
    this.o.store.save();
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private sleepUntilWoken(): Promise<void> {
    return new Promise((resolve) => {
      const now = Date.now();
      const next = this.queue.reduce((t, j) => (j.readyAt > now ? Math.min(t, j.readyAt) : t), Infinity);
      const timer = Number.isFinite(next) ? setTimeout(() => this.wake(), next - now) : null;
      this.wakeUp = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Average cost of one request so far, or the plan's estimate before there is any. */
  private costPerRequest(): number {
    const s = this.o.state;
    if (s.requests >= 3 && s.costUsd > 0) return s.costUsd / s.requests;
    const e = this.o.plan.estimate;
    return e.costUsd !== null && e.calls.total > 0 ? e.costUsd / e.calls.total : 0;
  }

  private dispatchReady(): void {
    const concurrency = this.o.config.provider.concurrency;
    const now = Date.now();
    while (this.inFlight.size < concurrency) {
      const index = this.queue.findIndex((j) => j.readyAt <= now);
      if (index === -1) return;
      const perRequest = this.costPerRequest() * 1.5;
      if (this.o.state.costUsd + (this.inFlight.size + 1) * perRequest > this.o.config.budget_usd) {
        this.budgetBlocked = true;
        return;
      }
      const [job] = this.queue.splice(index, 1);
      void this.send(job!);
    }
  }

  private async send(job: Job): Promise<void> {
    const id = this.nextRequestId++;
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    const { config, provider, limiter, events } = this.o;
    const prompt = samplePrompt(config, job.slots);
    const maxTokens = this.o.plan.estimate.maxOutputTokens;
    const estimate = Math.ceil((prompt.system.length + prompt.user.length) / 4) + Math.ceil(maxTokens / 3);
    const attempt = Math.max(...job.slots.map((s) => (this.attempts.get(s.id) ?? 0) + 1));
    try {
      await limiter.acquire(estimate, controller.signal);
      // The wait may have been long: a stop, pause or fatal error since then means do not send. (A budget
      // stop does not apply: this request's cost was reserved when it was admitted.)
      if (this.stopping || this.paused || this.fatal) {
        this.queue.unshift(job);
        return;
      }
      this.sending++;
      events.emit({ type: 'request_start', requestId: id, slots: job.slots.map((s) => s.id), attempt, inFlight: this.sending });
      let result;
      try {
        result = await provider.generate({ system: prompt.system, messages: [{ role: 'user', content: prompt.user }, ...job.feedback], schema: this.o.plan.schema, schemaName: SAMPLE_SCHEMA_NAME, maxOutputTokens: maxTokens, signal: controller.signal });
      } finally {
        this.sending--;
      }
      this.o.state.requests++;
      this.charge(result.usage.input_tokens, result.usage.output_tokens);
      limiter.observe(result.rateLimit, result.usage.input_tokens + result.usage.output_tokens, estimate);
      const answer = interpretAnswer(result, this.schema, maxTokens);
      if (!answer.ok) {
        this.fail(job, answer.kind, answer.message, { raw: answer.raw, feedback: answer.kind === 'truncated' ? undefined : answer.raw, usage: result.usage });
        return;
      }
      const examples = answer.value.examples as GeneratedExample[];
      const share = (n: number, i: number) => Math.floor(n / job.slots.length) + (i < n % job.slots.length ? 1 : 0);
      let rejected = 0;
      job.slots.forEach((slot, i) => {
        const example = examples[i];
        const usage = { input_tokens: share(result.usage.input_tokens, i), output_tokens: share(result.usage.output_tokens, i) };
        const problem = example ? this.accept(slot, example, result.model, usage) : { kind: 'schema' as const, message: `the answer had ${examples.length} examples, ${job.slots.length} were asked for` };
        if (!problem) return;
        rejected++;
        this.fail({ slots: [slot], feedback: [], readyAt: 0 }, problem.kind, problem.message, { raw: example ? JSON.stringify(example).slice(0, 4000) : undefined, usage });
      });
      if (rejected < job.slots.length) this.consecutiveFailures = 0;
    } catch (err) {
      if (controller.signal.aborted) {
        this.queue.push(job);
      } else if (err instanceof ProviderError) {
        // A 429 pauses everyone (the limiter reads its headers and emits the wait through onWait);
        // other errors only teach the limiter what their headers say.
        if (err.kind === 'rate_limit') limiter.onRateLimited(err.retryAfterMs, err.rateLimit);
        else if (err.rateLimit) limiter.learn(err.rateLimit);
        this.fail(job, err.kind, err.message, { status: err.status, raw: err.raw, retryAfterMs: err.retryAfterMs });
      } else {
        this.fail(job, 'network', (err as Error).message ?? String(err), {});
      }
    } finally {
      this.inFlight.delete(id);
      this.wake();
    }
  }

  private charge(input: number, output: number): void {
    const s = this.o.state;
    s.tokens.input += input;
    s.tokens.output += output;
    s.costUsd += costOf({ input, output }, this.price) ?? 0;
  }

  /** Validates one generated example against the quality gates; appends it and returns null when accepted. */
  private accept(slot: SlotSpec, example: GeneratedExample, model: string, usage: Sample['usage']): { kind: FailureKind; message: string } | null {
    const { config, store, events, dedup, state } = this.o;
    const messages: Message[] = example.messages.map((m) => {
      const msg: Message = { role: m.role, content: m.content };
      if (m.tool_calls && m.tool_calls.length > 0) msg.tool_calls = m.tool_calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
      if (m.role === 'tool') msg.tool_call_id = m.tool_call_id ?? '';
      return msg;
    });
    const gate = checkConversation(messages, { responseLength: config.response_length, datasetType: config.conversation.type, toolNames: toolNamesOf(config) });
    if (!gate.ok) return gate;
    if (config.conversation.type === 'reasoning' && !example.reasoning?.trim()) return { kind: 'schema', message: 'the reasoning is empty' };
    const text = conversationText(messages);
    const dup = dedup.check(text);
    if (dup.duplicate) {
      state.duplicates++;
      return { kind: 'duplicate', message: `${dup.kind === 'exact' ? 'exact' : 'near'} duplicate of an accepted sample (similarity ${dup.similarity.toFixed(2)})` };
    }
    const sample: Sample = {
      id: randomUUID(),
      slot: slot.id,
      category: slot.category,
      topic: slot.path[slot.path.length - 1] ?? slot.category,
      messages: config.system_prompt ? [{ role: 'system', content: config.system_prompt }, ...messages] : messages,
      ...(example.reasoning !== undefined && config.conversation.type === 'reasoning' ? { reasoning: example.reasoning } : {}),
      ...(config.conversation.type === 'agent' ? { tools: config.conversation.tools } : {}),
      model,
      usage,
      created_at: new Date().toISOString(),
      ...(this.o.provider.demo ? { demo: true } : {}),
    };
    store.samples.append(sample);
    dedup.add(text);
    store.dedup.append(sample.id, dedup.lastRecord());
    state.done.add(slot.id);
    this.accepted.push(Date.now());
    events.emit({ type: 'sample_accepted', sample, done: state.done.size, target: config.size });
    return null;
  }

  private fail(job: Job, kind: FailureKind, message: string, d: { status?: number; raw?: string; retryAfterMs?: number; feedback?: string; usage?: Sample['usage'] }): void {
    const { config, store, events, state } = this.o;
    state.failures[kind] = (state.failures[kind] ?? 0) + 1;
    if (kind !== 'rate_limit') this.consecutiveFailures++;
    if (endsTheRun(kind, d.status) && !this.fatal) {
      this.fatal = { reason: fatalReason(kind, message, d.status), exitCode: fatalExitCode(kind, d.status) };
    }
    if (this.consecutiveFailures >= SUSTAINED_FAILURES && !this.fatal) {
      this.fatal = { reason: `${SUSTAINED_FAILURES} requests in a row failed (last: ${kind}: ${message})`, exitCode: 1 };
    }
    const retry: SlotSpec[] = [];
    let attempt = 0;
    for (const slot of job.slots) {
      attempt = (this.attempts.get(slot.id) ?? 0) + 1;
      // A rate limit is pacing, not the slot's fault: it does not use up the slot's retries.
      if (kind !== 'rate_limit') this.attempts.set(slot.id, attempt);
      // will_retry says whether the slot has retries left; after a fatal error it is retried on resume.
      const exhausted = kind !== 'rate_limit' && attempt > config.provider.max_retries;
      const usage = slot === job.slots[0] && d.usage ? { usage: d.usage } : {};
      store.failures.append({ slot: slot.id, attempt, kind, message, ...(d.status ? { status: d.status } : {}), ...(d.raw ? { raw: d.raw } : {}), at: new Date().toISOString(), will_retry: !exhausted, ...usage });
      events.emit({ type: 'sample_rejected', slot: slot.id, attempt, kind, message, status: d.status, raw: d.raw, willRetry: !exhausted && !this.fatal });
      if (exhausted) state.exhausted.set(slot.id, kind);
      else if (!this.fatal) retry.push(slot);
    }
    if (retry.length === 0) return;
    const delayMs = TRANSIENT_KINDS.has(kind) && kind !== 'rate_limit' ? (d.retryAfterMs ?? backoffDelay(attempt)) : 0;
    const feedback = TRANSIENT_KINDS.has(kind) ? [] : feedbackTurns(d.feedback, kind === 'truncated' ? `${message}; write shorter examples` : message);
    this.queue.push({ slots: retry, feedback, readyAt: Date.now() + delayMs });
    events.emit({ type: 'retry', slots: retry.map((s) => s.id), attempt: attempt + 1, kind, delayMs });
  }
}
