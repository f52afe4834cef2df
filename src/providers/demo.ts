/**
 * The offline `demo` provider: clearly labelled template examples for trying synthloom without an API key.
 * It answers from the request's structured facts (which slots, which kind, which tools; the judge's
 * criteria; an augment request's method and turns), never by parsing the English prompt; each dataset
 * kind says what its demo example looks like. Deterministic per request text; never picked unless asked for.
 */
import { sleep } from '../core/backoff.js';
import { demoDerivedTurns } from '../core/kinds/demo-text.js';
import { kindOf } from '../core/kinds/index.js';
import { hash32, mulberry32 } from '../core/random.js';
import type { GenerateRequest, GenerateResult, Provider } from './types.js';

const CATEGORY_POOL = [
  'Getting started', 'Account and access', 'Billing and payments', 'Troubleshooting', 'Policies and rules',
  'Advanced usage', 'Integrations', 'Security and privacy', 'Performance', 'Best practices', 'Edge cases',
  'Migration and upgrades', 'Reporting', 'Limits and quotas', 'Customization', 'Collaboration',
];
const ASPECT_POOL = [
  'common mistakes', 'step-by-step setup', 'exceptions', 'comparisons', 'costs and limits', 'first steps',
  'error messages', 'deadlines', 'special cases', 'checklists', 'recovery', 'verification', 'examples',
  'terminology', 'escalation', 'automation', 'documentation', 'timing', 'prerequisites', 'follow-ups',
].map((a) => `${a[0]!.toUpperCase()}${a.slice(1)}`);

/**
 * The demo judge's scores, deterministic per judged conversation: about one in five is a weak template
 * example (every criterion 2 or 3, a mean under 3.5: a `filtered` failure with the default threshold), the
 * rest mostly 4 or 5 with an occasional 3. Each rationale is one sentence naming its criterion.
 */
export function demoJudgement(seed: number, criteria: readonly string[]): Record<string, { score: number; rationale: string }> {
  const weak = seed % 5 === 0;
  return Object.fromEntries(
    criteria.map((name) => {
      const h = hash32(`${seed}:${name}`);
      const score = weak ? 2 + (h % 2) : [3, 4, 4, 5, 5][h % 5]!;
      const label = name.replace(/_/g, ' ');
      const rationale =
        score >= 5 ? `Demo judge: the template example fully meets ${label}.`
        : score === 4 ? `Demo judge: the template example mostly meets ${label}, with minor gaps.`
        : score === 3 ? `Demo judge: the template example meets ${label} only partly.`
        : `Demo judge: the template example falls short on ${label}.`;
      return [name, { score, rationale }];
    }),
  );
}

/** The demo model's id: what session files and screens name as the model. */
export const DEMO_MODEL = 'demo-template-1';

export class DemoProvider implements Provider {
  readonly name = 'demo';
  readonly demo = true;
  private calls = 0;

  constructor(
    readonly model: string = DEMO_MODEL,
    private readonly latencyMs: number = Number(process.env.SYNTHLOOM_DEMO_LATENCY_MS ?? 250),
  ) {}

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const prompt = request.messages.map((m) => m.content).join('\n');
    const rand = mulberry32(hash32(prompt) ^ (this.calls++ * 0x9e3779b1));
    if (this.latencyMs > 0) await sleep(this.latencyMs * (0.5 + rand()), request.signal);
    const facts = request.facts;
    let json: unknown;
    if (facts?.stage === 'topics') {
      const start = hash32(facts.parent);
      const pool = facts.root ? CATEGORY_POOL : ASPECT_POOL;
      json = { topics: Array.from({ length: facts.count }, (_, i) => pool[(start + i) % pool.length]!) };
    } else if (facts?.stage === 'samples') {
      const kind = kindOf(facts.kind);
      json = { examples: facts.slots.map((slot) => kind.demoExample(slot, rand, facts.tools)) };
    } else if (facts?.stage === 'judge') {
      json = { criteria: demoJudgement(hash32(request.messages[0]?.content ?? prompt), facts.criteria) };
    } else if (facts?.stage === 'augment') {
      json = { messages: demoDerivedTurns(rand, facts.method, facts.turns) };
    } else {
      throw new Error(`the demo provider answers synthloom's own requests only (no facts on "${request.schemaName}")`);
    }
    const text = JSON.stringify(json);
    return {
      text,
      json,
      finish: 'stop',
      usage: { input_tokens: Math.ceil((request.system.length + prompt.length) / 4), output_tokens: Math.ceil(text.length / 4) },
      model: this.model,
    };
  }
}
