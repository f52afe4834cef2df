/**
 * The scheduler's first groups on a resume in batch mode: the slot groups of lines already in batches that
 * are (or may be) live come first, exactly as they were submitted, so each job matches its line and is
 * resolved from that batch instead of being submitted again. The other open slots are grouped as usual.
 */
import { requestGroups } from '../plan.js';
import type { SlotSpec } from '../types.js';

export function groupsWithInFlight(open: readonly SlotSpec[], perCall: number, inFlight: readonly string[][] | undefined): SlotSpec[][] {
  if (!inFlight || inFlight.length === 0) return requestGroups(open, perCall);
  const byId = new Map(open.map((s) => [s.id, s]));
  const taken = new Set<string>();
  const first: SlotSpec[][] = [];
  for (const group of inFlight) {
    // A line with a slot already done or taken (a kill while its results were read): regrouped as usual.
    if (!group.every((id) => byId.has(id) && !taken.has(id))) continue;
    for (const id of group) taken.add(id);
    first.push(group.map((id) => byId.get(id)!));
  }
  return [...first, ...requestGroups(open.filter((s) => !taken.has(s.id)), perCall)];
}
