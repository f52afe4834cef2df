/**
 * synthloom as a library: `import { generate, plan, exportSession } from 'synthloom'`. This is also a
 * composition root (like src/cli.ts): it makes the providers from the environment and hands them to core.
 * The CLI and the TUI open their runs through `openRun` below, so a script, the CLI and the TUI run the
 * same code the same way.
 *
 *   for await (const item of generate(config)) {
 *     if (item.type === 'sample_accepted') console.log(item.done, '/', item.target);
 *     if (item.type === 'result') console.log(item.result.status);
 *   }
 */
import { validateConfig, type Config, type ConfigInput } from './core/config.js';
import type { EngineEvent } from './core/events.js';
import { buildPlan, type Plan } from './core/plan.js';
import type { ProviderFactory } from './core/provider.js';
import { createRun, type RunHandle, type RunResult, type StartRunOptions } from './core/run.js';
import { batchClientFactory } from './providers/batch.js';
import { providerFactory } from './providers/index.js';

export { exportSession } from './core/export/index.js';
export { loadConfig, parseConfigText, validateConfig } from './core/config.js';
export { planSummaryLines } from './core/plan.js';
export type { Config, ConfigInput } from './core/config.js';
export type { EngineEvent, EventOf, ProgressCounts, RunEndStatus } from './core/events.js';
export type { Plan } from './core/plan.js';
export type { GenerateRequest, GenerateResult, Provider, ProviderFactory } from './core/provider.js';
export type { RunHandle, RunResult } from './core/run.js';
export type { FailureKind, Message, Sample } from './core/types.js';

export interface GenerateOptions {
  /** The session directory; default `output_dir/name` from the config. */
  dir?: string;
  /** Where API keys are read from; default process.env. Keys are never written anywhere. */
  env?: NodeJS.ProcessEnv;
  /** Make providers yourself (a custom or in-process one); default: from the config and `env`. */
  providers?: ProviderFactory;
  /** Aborting it stops the run gracefully (requests in flight finish; the session is resumable). */
  signal?: AbortSignal;
  /** At the budget cap: end the run (default) or wait for handle.raiseBudget. */
  onBudget?: 'end' | 'wait';
  /** The folder `sources` and `examples` paths are relative to (the config file's folder); default the cwd. */
  baseDir?: string;
}

export interface ResumeOptions extends Omit<GenerateOptions, 'dir'> {
  retryFailed?: boolean;
  /** Continue although the settings changed since the plan was approved. */
  acceptPlanChange?: boolean;
  budgetUsd?: number;
  concurrency?: number;
}

/** The last item `generate` yields: the run's outcome. */
export interface ResultItem {
  type: 'result';
  ts: string;
  result: RunResult;
}

export type GenerateItem = EngineEvent | ResultItem;

/** A run in progress: iterate it for its events (then the result), or await `result`. */
export interface Generation extends AsyncIterable<GenerateItem> {
  /** Pause, resume, stop, retry failed, raise the budget; the events bus. */
  readonly handle: RunHandle;
  readonly result: Promise<RunResult>;
}

/** Opens a run (new or resumed) with providers made from the environment: the CLI's and TUI's entry too. */
export function openRun(opts: Omit<StartRunOptions, 'providers'> & { providers?: ProviderFactory; env?: NodeJS.ProcessEnv }): RunHandle {
  const { env, providers, ...rest } = opts;
  return createRun({ batchClients: batchClientFactory(env ?? process.env), ...rest, providers: providers ?? providerFactory(env ?? process.env) });
}

/** The plan and its estimate for a config; makes no LLM call. */
export function plan(config: Config | ConfigInput): Plan {
  return buildPlan(validateConfig(config));
}

function drive(handle: RunHandle, signal: AbortSignal | undefined): Generation {
  const buffered: GenerateItem[] = [];
  let notify: (() => void) | null = null;
  let finished = false;
  let running: Promise<RunResult> | null = null;
  const push = (item: GenerateItem): void => {
    buffered.push(item);
    notify?.();
  };
  handle.events.on(push);
  const run = (): Promise<RunResult> => {
    if (running) return running;
    if (signal?.aborted) handle.stop();
    else signal?.addEventListener('abort', () => handle.stop(), { once: true });
    running = handle.start().then(
      (result) => {
        push({ type: 'result', ts: new Date().toISOString(), result });
        finished = true;
        notify?.();
        return result;
      },
      (err: unknown) => {
        finished = true;
        notify?.();
        throw err;
      },
    );
    return running;
  };
  return {
    handle,
    get result() {
      return run();
    },
    async *[Symbol.asyncIterator]() {
      const done = run();
      for (;;) {
        if (buffered.length > 0) {
          yield buffered.shift()!;
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
        notify = null;
      }
      await done; // a run that threw rethrows here
    },
  };
}

/** Generates a dataset for `config` (a new session): the typed events of SPEC 6.6, then the result. */
export function generate(config: Config | ConfigInput, options: GenerateOptions = {}): Generation {
  const valid = validateConfig(config);
  const handle = openRun({ config: valid, dir: options.dir, env: options.env, providers: options.providers, onBudget: options.onBudget, baseDir: options.baseDir });
  return drive(handle, options.signal);
}

/** Continues a saved session: fills exactly the slots that are not done. */
export function resume(dir: string, options: ResumeOptions = {}): Generation {
  const { signal, ...rest } = options;
  return drive(openRun({ ...rest, dir, resume: true }), signal);
}
