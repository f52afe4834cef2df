/**
 * custom_id of a batch line: the slot ids of its request, within both APIs' id rules (Anthropic enforces
 * `^[a-zA-Z0-9_-]{1,64}$`; we hold OpenAI to the same so one encoding serves both).
 *
 * Slot ids are `TOPICID_rN` with topic ids like `t0-3-1` (src/core/slots.ts, src/core/tree.ts). The
 * compact form groups slots by topic and joins groups with `__`:
 *   [t0-3_r4, t0-3_r5, t0-7_r0]  ->  t0-3_r4_5__t0-7_r0
 * A line resubmitted after a failure gets a new id (`__x2` for its 2nd submission), so no custom_id is ever
 * in two batches. Slot ids outside that shape, or a compact form over 64 characters, get a hashed id
 * (`z` + 20 base64url characters of SHA-256), which cannot be decoded: the journal's `submitting` record
 * maps every custom_id to its slot ids, and is what a resume reads.
 */
import { createHash } from 'node:crypto';

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const CUSTOM_ID_MAX = 64;

const SLOT = /^([a-zA-Z0-9-]+)_r(\d+)$/;
const TOPIC = /^[a-zA-Z0-9-]+$/;

/** The custom_id of a request for `slotIds`, submitted for the `submission`-th time (1 = first). */
export function encodeCustomId(slotIds: readonly string[], submission = 1): string {
  if (slotIds.length === 0) throw new Error('a batch line needs at least one slot');
  if (!Number.isInteger(submission) || submission < 1) throw new Error(`submission must be a positive integer, got ${submission}`);
  const compact = compactForm(slotIds);
  const suffix = submission > 1 ? `__x${submission}` : '';
  if (compact !== null && compact.length + suffix.length <= CUSTOM_ID_MAX) return compact + suffix;
  const digest = createHash('sha256').update(JSON.stringify(slotIds)).digest('base64url').slice(0, 20);
  return `z${digest}${suffix}`;
}

function compactForm(slotIds: readonly string[]): string | null {
  const groups: Array<{ topic: string; replicas: string[] }> = [];
  for (const id of slotIds) {
    const match = SLOT.exec(id);
    if (!match || !TOPIC.test(match[1]!)) return null;
    const [, topic, replica] = match as unknown as [string, string, string];
    // Keep "0"-free canonical numbers so decode(encode(x)) is x exactly.
    if (String(Number(replica)) !== replica) return null;
    const last = groups[groups.length - 1];
    if (last && last.topic === topic) last.replicas.push(replica);
    else groups.push({ topic, replicas: [replica] });
  }
  return groups.map((g) => `${g.topic}_r${g.replicas.join('_')}`).join('__');
}

export interface DecodedCustomId {
  slotIds: string[];
  submission: number;
}

/** The slot ids and submission number of a compact custom_id; null for a hashed (or foreign) one. */
export function decodeCustomId(customId: string): DecodedCustomId | null {
  if (!CUSTOM_ID_PATTERN.test(customId) || customId.startsWith('z')) return null;
  const groups = customId.split('__');
  let submission = 1;
  const tail = groups[groups.length - 1]!;
  if (/^x[1-9]\d*$/.test(tail)) {
    submission = Number(tail.slice(1));
    groups.pop();
    if (submission < 2) return null;
  }
  const slotIds: string[] = [];
  for (const group of groups) {
    const match = /^([a-zA-Z0-9-]+)_r((?:0|[1-9]\d*)(?:_(?:0|[1-9]\d*))*)$/.exec(group);
    if (!match) return null;
    for (const replica of match[2]!.split('_')) slotIds.push(`${match[1]}_r${replica}`);
  }
  return slotIds.length > 0 ? { slotIds, submission } : null;
}

export function isValidCustomId(customId: string): boolean {
  return CUSTOM_ID_PATTERN.test(customId);
}
