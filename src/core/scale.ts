/**
 * Preview then scale: a finished session's target raised to N under the same approved config and topic
 * tree. The preview's samples count toward N: every leaf keeps at least the slots it had (slot ids are
 * `TOPIC_rN`, so the existing ones stay valid slots of the new plan) and the extra count becomes new
 * replicas. The session then continues as a resume run.
 */
import { UsageError } from './errors.js';
import { buildPlan, type Plan } from './plan.js';
import { readPlanFile, SessionStore } from './session/index.js';
import type { LeafTarget } from './types.js';

/** The fresh allocation for the new size, but never fewer slots on a leaf than before (sum stays `size`). */
export function monotoneLeaves(old: readonly LeafTarget[], fresh: readonly LeafTarget[], size: number): LeafTarget[] {
  const before = new Map(old.map((l) => [l.topicId, l.target]));
  const out = fresh.map((l) => ({ ...l, target: Math.max(l.target, before.get(l.topicId) ?? 0) }));
  for (const l of old) if (!out.some((o) => o.topicId === l.topicId)) out.push({ ...l });
  let excess = out.reduce((n, l) => n + l.target, 0) - size;
  while (excess > 0) {
    // take one slot from the leaf with the most slots above what it had (never below what it had)
    let pick = -1;
    let most = 0;
    out.forEach((l, i) => {
      const spare = l.target - (before.get(l.topicId) ?? 0);
      if (spare > most) [pick, most] = [i, spare];
    });
    if (pick < 0) break;
    out[pick]!.target--;
    excess--;
  }
  return out.filter((l) => l.target > 0);
}

/** The approved plan at a bigger size: same config but `size`, same tree, existing slots kept. Pure. */
export function scalePlan(plan: Plan, size: number): Plan {
  const had = plan.leaves.reduce((n, l) => n + l.target, 0);
  if (!Number.isInteger(size) || size <= had) throw new UsageError(`scale: the new size must be a whole number above ${had}`);
  const config = { ...plan.config, size };
  const fresh = buildPlan(config, plan.tree);
  return { ...fresh, leaves: monotoneLeaves(plan.leaves, fresh.leaves, size) };
}

/** Raises a session's size on disk (locked while it writes: refused while a run holds it). Returns the new plan. */
export function scaleSession(dir: string, size: number): Plan {
  const store = SessionStore.open(dir);
  try {
    const plan = scalePlan(readPlanFile(dir), size);
    store.session.config = { ...store.session.config, size };
    store.session.stats = { ...store.session.stats, target: size };
    store.savePlan(plan);
    store.save();
    return plan;
  } finally {
    store.close();
  }
}
