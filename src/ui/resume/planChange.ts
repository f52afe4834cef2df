/**
 * SPEC 4: on resume, a plan whose fingerprint (model, prompts, schema, generation settings) no longer matches
 * the session's settings is shown to the user with what changed, never silently accepted.
 */
import type { Config } from '../../core/config.js';
import { computeFingerprint } from '../../core/plan.js';
import { changesSinceApproval } from '../../core/run.js';
import { readPlanFile } from '../../core/session/index.js';

export interface PlanChange {
  before: string;
  after: string;
  /** `model "a" -> "b"`, `the output schema`, ... */
  changes: string[];
}

export function planChange(dir: string, config: Config): PlanChange | null {
  let saved;
  try {
    saved = readPlanFile(dir);
  } catch {
    return null; // no approved plan on disk yet: nothing to compare
  }
  const changes = changesSinceApproval(saved, config);
  if (changes.length === 0) return null;
  return { before: saved.fingerprint, after: computeFingerprint(config).fingerprint, changes };
}
