/**
 * Issue 11's checks as sample stages, built in one place from the config: the heuristic checks (length,
 * refusal, language, PII redact/reject; a redaction replaces the candidate's mapped messages) and, when
 * `quality.judge.enabled`, the LLM judge. The judge sends one structured request per candidate through the
 * executor it is given (the run's own, or one for `quality.judge.provider`), books each answer in the
 * ledger under stage `judge` (so the budget cap counts it), asks again with the problem fed back when an
 * answer does not fit the schema (bounded), rejects as `filtered` with the rationale, and keeps the scores
 * on an accepted sample (`scores`).
 */
import type { Config } from '../config.js';
import { errorMessage } from '../errors.js';
import type { Executor } from '../executor.js';
import type { ChatTurn } from '../provider.js';
import { judgeRequest, judgeVerdict, qualityChecks, runQualityChecks } from '../quality/stages.js';
import { countTokens } from '../tokens.js';
import { PASS, reject, type Candidate, type SampleStage, type StageContext, type StageVerdict } from './types.js';

/** Judge answers that do not fit the schema are asked again this many times before the candidate is rejected. */
export const JUDGE_SCHEMA_RETRIES = 2;

/** The output cap of one judge request: a score and a one-sentence rationale per criterion. */
export function judgeMaxOutputTokens(criteria: number): number {
  return 80 + criteria * 90;
}

/** The heuristic checks as one stage (null when none apply). */
export function heuristicStage(config: Config): SampleStage | null {
  const checks = qualityChecks(config);
  if (checks.length === 0) return null;
  return {
    name: 'quality',
    run(c: Candidate): StageVerdict {
      if (!c.mapped) return PASS;
      const result = runQualityChecks(checks, { messages: c.mapped.messages, ...(c.mapped.reasoning !== undefined ? { reasoning: c.mapped.reasoning } : {}) });
      if (!result.ok) return reject(result.kind, result.message);
      if (result.sample.messages !== c.mapped.messages) c.mapped = { ...c.mapped, messages: result.sample.messages };
      return PASS;
    },
  };
}

/** The LLM judge stage, sending through `executor` (null when the judge is off). */
export function judgeStage(config: Config, executor: Executor): SampleStage | null {
  if (!config.quality.judge.enabled) return null;
  return {
    name: 'judge',
    async run(c: Candidate, ctx: StageContext): Promise<StageVerdict> {
      if (!c.mapped) return PASS;
      const slot = c.slot;
      const request = judgeRequest(
        config,
        { messages: c.mapped.messages, ...(c.mapped.reasoning !== undefined ? { reasoning: c.mapped.reasoning } : {}), ...(c.mapped.tools ? { tools: c.mapped.tools } : {}) },
        { category: slot.category, topic: slot.path[slot.path.length - 1] ?? slot.category, audience: slot.audience },
      );
      if (!request) return PASS;
      const maxOutputTokens = judgeMaxOutputTokens(request.criteria.length);
      const signal = ctx.signal ?? new AbortController().signal;
      const turns: ChatTurn[] = [{ role: 'user', content: request.user }];
      let last = 'judge: no answer';
      for (let attempt = 0; attempt <= JUDGE_SCHEMA_RETRIES; attempt++) {
        const promptTokens = countTokens(request.system) + turns.reduce((n, t) => n + countTokens(t.content), 0) + 40;
        const outcome = await executor.run(
          { request: { system: request.system, messages: [...turns], schema: request.schema, schemaName: request.schemaName, maxOutputTokens, temperature: 0, facts: { stage: 'judge', criteria: request.criteria.map((c) => c.name) } }, estimateTokens: promptTokens + maxOutputTokens },
          signal,
        );
        if (!outcome.ok) return reject(outcome.error.kind, `judge: ${errorMessage(outcome.error)}`);
        const result = outcome.result;
        ctx.ledger.book('judge', result.usageInvalid ? { invalid: result.usageInvalid } : result.usage, executor.price, { input_tokens: promptTokens, output_tokens: maxOutputTokens });
        let answer: unknown = result.json;
        if (answer === undefined) {
          try {
            answer = JSON.parse(result.text);
          } catch {
            answer = null;
          }
        }
        const verdict = judgeVerdict(answer, request, config.quality.judge.threshold);
        if (verdict.ok) {
          c.extra.scores = verdict.scores;
          return PASS;
        }
        if (verdict.kind === 'filtered') return reject('filtered', verdict.message);
        last = verdict.message;
        turns.push({ role: 'assistant', content: result.text.slice(0, 4000) }, { role: 'user', content: `${verdict.message}. Answer again with the JSON object the schema describes.` });
      }
      return reject('schema', last);
    },
  };
}

/** The stages issue 11 plugs into a run (pass as createRun's extraStages): heuristics first, then the paid judge. */
export function qualityStages(config: Config, judgeExecutor: Executor): SampleStage[] {
  return [heuristicStage(config), judgeStage(config, judgeExecutor)].filter((s): s is SampleStage => s !== null);
}
