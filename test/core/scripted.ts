/**
 * A scripted in-process provider for the scheduler, ledger and stage tests: no HTTP, exact usage, and a
 * script that decides per request what the "server" does. Its default answer is the demo example of the
 * request's kind, built from the request's facts, so every answer follows the schema.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateConfig, type Config, type ConfigInput } from '../../src/core/config.js';
import type { EngineEvent } from '../../src/core/events.js';
import { kindOf } from '../../src/core/kinds/index.js';
import { ProviderError, type GenerateRequest, type GenerateResult, type Provider } from '../../src/core/provider.js';
import { mulberry32 } from '../../src/core/random.js';
import { createRun, type RunHandle, type StartRunOptions } from '../../src/core/run.js';
import type { SessionStats } from '../../src/core/ledger.js';
import type { FailureKind } from '../../src/core/types.js';

export type Step = Partial<GenerateResult> | ProviderError | ((r: GenerateRequest) => Partial<GenerateResult> | ProviderError);

/** The answer a strict server would give: the kind's demo examples for the request's slots. */
export function answerFor(request: GenerateRequest, n: number): unknown {
  const facts = request.facts;
  if (facts?.stage === 'topics') return { topics: Array.from({ length: facts.count }, (_, i) => `${facts.parent} aspect ${i + 1} (${n})`) };
  if (facts?.stage === 'samples') {
    const rand = mulberry32(n * 7919 + 1);
    return { examples: facts.slots.map((slot) => kindOf(facts.kind).demoExample(slot, rand, facts.tools)) };
  }
  throw new Error('no facts');
}

export class ScriptedProvider implements Provider {
  readonly name = 'openai';
  readonly model = 'scripted-1';
  readonly demo = false;
  readonly requests: GenerateRequest[] = [];
  /** Usage every answer reports unless a step says otherwise. */
  usage = { input_tokens: 100, output_tokens: 50 };

  constructor(private readonly script: (request: GenerateRequest, n: number) => Step | undefined = () => undefined) {}

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const n = this.requests.push(request);
    await new Promise((r) => setImmediate(r));
    let step = this.script(request, n);
    if (typeof step === 'function') step = step(request);
    if (step instanceof ProviderError) throw step;
    const json = step?.json ?? answerFor(request, n);
    return { text: JSON.stringify(json), json, finish: 'stop', usage: this.usage, model: this.model, ...step };
  }

  count(stage: 'topics' | 'samples'): number {
    return this.requests.filter((r) => r.facts?.stage === stage).length;
  }
}

export function serverError(): ProviderError {
  return new ProviderError('server', 'HTTP 500 from the script', { status: 500 });
}

export interface Scene {
  root: string;
  config(extra?: Partial<ConfigInput>): Config;
  run(config: Config, provider: Provider, opts?: Partial<StartRunOptions>): { handle: RunHandle; events: EngineEvent[] };
  stats(name: string): SessionStats & { status?: string };
  session(name: string): { status: string; reason?: string; stats: SessionStats };
  cleanup(): void;
}

/** A temporary output folder and configs priced at $1/$2 per 1M tokens, so costs are easy to check. */
export function scene(): Scene {
  const root = mkdtempSync(join(tmpdir(), 'synthloom-scheduler-'));
  return {
    root,
    config: (extra = {}) =>
      validateConfig({
        name: 'scripted',
        task: 'customer support',
        domain: 'returns',
        size: 12,
        output_dir: root,
        ...extra,
        topics: { categories: [{ name: 'Refunds' }, { name: 'Exchanges' }], depth: 1, degree: 2, ...(extra.topics ?? {}) },
        provider: { name: 'openai', model: 'scripted-1', concurrency: 4, max_retries: 2, price: { input: 1, output: 2 }, ...(extra.provider ?? {}) },
      }),
    run: (config, provider, opts = {}) => {
      const handle = createRun({ config, providers: () => provider, ...opts });
      const events: EngineEvent[] = [];
      handle.events.on((e) => events.push(e));
      return { handle, events };
    },
    stats: (name) => (parse(readFileSync(join(root, name, 'session.yaml'), 'utf8')) as { stats: SessionStats }).stats,
    session: (name) => parse(readFileSync(join(root, name, 'session.yaml'), 'utf8')) as { status: string; reason?: string; stats: SessionStats },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** USD of `requests` answered requests at the scene's price with the provider's default usage. */
export function usdOf(requests: number, usage = { input_tokens: 100, output_tokens: 50 }): number {
  return (requests * (usage.input_tokens * 1 + usage.output_tokens * 2)) / 1_000_000;
}

export function kinds(events: EngineEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) if (e.type === 'sample_rejected') out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out as Partial<Record<FailureKind, number>>;
}
