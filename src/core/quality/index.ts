/** The quality checks and the judge's pure parts, for the engine to wrap as sample stages. */
export type { CheckResult, SampleLike } from './check.js';
export { checkLength, TOKEN_BOUNDS, type TokenBounds } from './length.js';
export { checkRefusal, type RefusalOptions } from './refusal.js';
export { checkLanguage, detectLanguage, languageCode } from './language.js';
export { checkPii, type PiiMode } from './pii-check.js';
export { findPii, redactPii, type PiiHit, type PiiKind } from './pii.js';
export { QualitySchema, checkQualityConfig, type QualityConfig } from './config.js';
export { DEFAULT_CRITERIA, resolveCriteria, criteriaProblem, type Criterion } from './rubric.js';
export { qualityChecks, runQualityChecks, judgeRequest, judgeVerdict, type QualityCheck, type JudgeRequest } from './stages.js';
export { buildJudgePrompt, judgeSchema, parseJudgeAnswer, decide, weightedMean, normalizedScore, type SampleScores, type JudgeDecision } from './judge.js';
