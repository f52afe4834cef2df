/** The stage list a config asks for, and the loop that runs a candidate through it. */
import type { Config } from '../config.js';
import { duplicateStage } from './duplicates.js';
import { gatesStage } from './gates.js';
import { kindStage } from './kind.js';
import { turnsStage } from './turns.js';
import { PASS, type Candidate, type SampleStage, type StageContext, type StageVerdict } from './types.js';

export type { Candidate, SampleStage, StageContext, StageVerdict } from './types.js';
export { duplicateVerdict } from './duplicates.js';
export { parseAnswer, usageShare, type ParsedAnswer } from './parse.js';

/**
 * The stages every example passes, in order (the turn count right after the kind's mapping). `extra` stages (judge, PII, language, grounding) come after
 * the cheap checks, duplicates included, so a paid stage never judges a sample that is rejected anyway; a
 * twin accepted while a slow stage ran is caught by the engine's final duplicate check at accept.
 */
export function stagesFor(_config: Config, extra: SampleStage[] = []): SampleStage[] {
  return [kindStage, turnsStage, gatesStage, duplicateStage, ...extra];
}

/** Runs the candidate through the stages; the first rejection ends it. */
export async function runStages(stages: readonly SampleStage[], c: Candidate, ctx: StageContext): Promise<StageVerdict> {
  for (const stage of stages) {
    const verdict = await stage.run(c, ctx);
    if (!verdict.ok) return verdict;
  }
  return PASS;
}
