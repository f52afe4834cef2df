/**
 * The LLM judge in the plan (issue 11): its calls, tokens and USD as their own estimate line, added into
 * the totals so the budget warning counts them, and the judge's settings in the fingerprint only when it
 * is on (so plans approved without a judge keep their fingerprint).
 */
import type { Config } from './config.js';
import { judgeProviderSection } from './judge-provider.js';
import { costOf, formatUsd, priceFor } from './prices.js';
import { resolveCriteria } from './quality/rubric.js';
import type { SlotSpec } from './types.js';

/** Share of judged candidates expected to be judged again (filtered slots refilled, schema retries). */
export const EXPECTED_JUDGE_EXTRA = 0.1;
/** The judge's instructions, brief and rubric around the transcript, in tokens. */
const JUDGE_PROMPT_TOKENS = 320;

export interface JudgeEstimate {
  calls: number;
  tokens: { input: number; output: number };
  costUsd: number | null;
  model: string;
}

export function judgeEstimate(config: Config, specs: readonly SlotSpec[], avgExampleTokens: number): JudgeEstimate | null {
  if (!config.quality.judge.enabled) return null;
  const criteria = resolveCriteria(config.conversation.type, config.quality.judge.criteria);
  const calls = specs.length + Math.ceil(specs.length * EXPECTED_JUDGE_EXTRA);
  const tokens = { input: Math.round(calls * (JUDGE_PROMPT_TOKENS + criteria.length * 30 + avgExampleTokens)), output: Math.round(calls * (30 + criteria.length * 40)) };
  const section = judgeProviderSection(config) ?? config.provider;
  return { calls, tokens, costUsd: costOf(tokens, priceFor({ ...config, provider: section })), model: section.model };
}

/** The estimate with the judge's share added (unchanged when the judge is off). */
export function withJudge<E extends { calls: { total: number; judge?: number }; tokens: { input: number; output: number }; costUsd: number | null; judge?: JudgeEstimate }>(e: E, judge: JudgeEstimate | null): E {
  if (!judge) return e;
  return {
    ...e,
    calls: { ...e.calls, judge: judge.calls, total: e.calls.total + judge.calls },
    tokens: { input: e.tokens.input + judge.tokens.input, output: e.tokens.output + judge.tokens.output },
    costUsd: e.costUsd === null || judge.costUsd === null ? null : e.costUsd + judge.costUsd,
    judge,
  };
}

export function judgeSummaryLines(e: { judge?: JudgeEstimate }): string[] {
  const j = e.judge;
  if (!j) return [];
  return [`Judge (estimate, included above): ${j.calls} calls to ${j.model}, ${j.tokens.input.toLocaleString('en-US')} in, ${j.tokens.output.toLocaleString('en-US')} out, ${formatUsd(j.costUsd)}`];
}

/** The judge's settings for the fingerprint, only when it is on. */
export function judgeFingerprint(config: Config): Record<string, unknown> {
  const j = config.quality.judge;
  if (!j.enabled) return {};
  return { judge: { enabled: true, threshold: j.threshold, criteria: j.criteria, provider: j.provider } };
}
