/**
 * What the engine needs to run issue 11's checks as sample stages, from the config: the heuristic checks
 * in order (each `filtered` on failure; PII redaction passes a changed sample on), and the judge's request
 * and the verdict on its answer. The engine owns sending, retries, booking and refilling.
 */
import type { Config } from '../config.js';
import type { CheckResult, SampleLike } from './check.js';
import { buildJudgePrompt, decide, type JudgeBrief, type JudgedSample, judgeSchema, parseJudgeAnswer, type SampleScores } from './judge.js';
import { checkLanguage } from './language.js';
import { checkLength, TOKEN_BOUNDS } from './length.js';
import { checkPii } from './pii-check.js';
import { checkRefusal } from './refusal.js';
import { type Criterion, resolveCriteria } from './rubric.js';

export interface QualityCheck {
  name: 'length' | 'refusal' | 'language' | 'pii';
  run<S extends SampleLike>(sample: S): CheckResult<S>;
}

/** The heuristic checks the config turns on, cheapest first; PII last, so a redacted sample is what is kept. */
export function qualityChecks(config: Pick<Config, 'response_length' | 'negatives' | 'quality'>): QualityCheck[] {
  const checks: QualityCheck[] = [
    { name: 'length', run: (s) => checkLength(s, TOKEN_BOUNDS[config.response_length]) },
    { name: 'refusal', run: (s) => checkRefusal(s, { allowRefusals: config.negatives }) },
  ];
  const language = config.quality.language;
  if (language !== null) checks.push({ name: 'language', run: (s) => checkLanguage(s.messages, language) });
  if (config.quality.pii !== 'off') {
    const mode = config.quality.pii;
    checks.push({ name: 'pii', run: (s) => checkPii(s, mode) });
  }
  return checks;
}

/** Runs the checks in order: the first failure, or ok with the (possibly redacted) sample. */
export function runQualityChecks<S extends SampleLike>(checks: readonly QualityCheck[], sample: S): { ok: true; sample: S } | { ok: false; kind: 'filtered'; message: string } {
  let current = sample;
  for (const check of checks) {
    const result = check.run(current);
    if (!result.ok) return result;
    if (result.sample) current = result.sample;
  }
  return { ok: true, sample: current };
}

export interface JudgeRequest {
  system: string;
  user: string;
  schemaName: string;
  schema: Record<string, unknown>;
  criteria: Criterion[];
}

type JudgeConfig = Pick<Config, 'task' | 'domain' | 'tone' | 'response_length' | 'special_formats' | 'conversation' | 'quality'>;

/** The judge request for one sample (null when the judge is off). */
export function judgeRequest(config: JudgeConfig, sample: JudgedSample, slot: Pick<JudgeBrief, 'category' | 'topic' | 'audience'> = {}): JudgeRequest | null {
  if (!config.quality.judge.enabled) return null;
  const criteria = resolveCriteria(config.conversation.type, config.quality.judge.criteria);
  const brief: JudgeBrief = { task: config.task, domain: config.domain, tone: config.tone, response_length: config.response_length, special_formats: config.special_formats, ...slot };
  const { system, user } = buildJudgePrompt(criteria, brief, sample);
  const { name, schema } = judgeSchema(criteria);
  return { system, user, schemaName: name, schema, criteria };
}

/**
 * The verdict on a judge answer: `schema` when the answer does not fit (retry the judge call with the
 * message fed back), `filtered` with the rationale when the weighted score is under the threshold (the
 * slot is refilled), or accepted with the scores to keep on the sample as `scores`.
 */
export function judgeVerdict(
  answer: unknown,
  request: Pick<JudgeRequest, 'criteria'>,
  threshold: number,
): { ok: true; scores: SampleScores } | { ok: false; kind: 'schema' | 'filtered'; message: string; scores?: SampleScores } {
  const parsed = parseJudgeAnswer(answer, request.criteria);
  if (!parsed.ok) return { ok: false, kind: 'schema', message: parsed.message };
  const decision = decide(parsed.criteria, request.criteria, threshold);
  return decision.accept ? { ok: true, scores: decision.scores } : { ok: false, kind: 'filtered', message: decision.message, scores: decision.scores };
}
