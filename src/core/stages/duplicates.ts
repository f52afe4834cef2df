/**
 * The duplicate stage: exact and near duplicates (normalized hash + MinHash) of everything accepted so far.
 * The engine checks once more, synchronously, when it accepts: an async stage between the two may have let
 * a twin through meanwhile.
 */
import { conversationText } from '../quality.js';
import { messagesOf, PASS, reject, type Candidate, type SampleStage, type StageContext, type StageVerdict } from './types.js';

export function duplicateVerdict(c: Candidate, ctx: StageContext): StageVerdict {
  c.text ??= c.mapped?.dedupText ?? conversationText(messagesOf(c));
  const dup = ctx.dedup.check(c.text);
  if (!dup.duplicate) return PASS;
  ctx.ledger.duplicates++;
  return reject('duplicate', `${dup.kind === 'exact' ? 'exact' : 'near'} duplicate of an accepted sample (similarity ${dup.similarity.toFixed(2)})`);
}

export const duplicateStage: SampleStage = { name: 'duplicates', run: duplicateVerdict };
