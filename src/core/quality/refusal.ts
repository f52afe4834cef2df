/**
 * Refusals and assistant boilerplate in assistant turns. Two lists:
 * - boilerplate ("as an AI language model", "my knowledge cutoff", "I don't have personal opinions"):
 *   never wanted in training data;
 * - refusals ("I'm sorry, but I can't help with that"): wanted when the config asks for `negatives`
 *   (examples of refusing bad requests), so the caller passes `allowRefusals` then.
 */
import type { CheckResult, SampleLike } from './check.js';

const APOS = "['’]";
const BOILERPLATE: RegExp[] = [
  /\bas an? (?:ai|artificial intelligence)(?: (?:language )?model| assistant| chatbot)?\b/i,
  /\bas a (?:large )?language model\b/i,
  /\bI(?: am|'m|’m) (?:just )?an? (?:ai|artificial intelligence|language model)\b/i,
  new RegExp(`\\bI (?:do not|don${APOS}t) have (?:personal )?(?:opinions|feelings|emotions|beliefs)\\b`, 'i'),
  /\b(?:my|the) (?:knowledge|training) (?:cut-?off|data (?:only )?goes up to)\b/i,
  new RegExp(`\\bI (?:do not|don${APOS}t) have (?:access to )?real-time (?:data|information|access)\\b`, 'i'),
];
const REFUSALS: RegExp[] = [
  new RegExp(`\\bI(?: am|${APOS}m) (?:sorry|afraid),? but I (?:can(?:not|${APOS}t)|am unable to|won${APOS}t)\\b`, 'i'),
  new RegExp(`^\\s*I (?:can(?:not|${APOS}t)|won${APOS}t|am unable to) (?:help|assist|comply|provide|do that)\\b`, 'i'),
  new RegExp(`\\bI(?: am|${APOS}m) not able to (?:help|assist|comply) with (?:that|this)\\b`, 'i'),
];

export interface RefusalOptions {
  allowRefusals?: boolean;
}

export function checkRefusal(sample: SampleLike, opts: RefusalOptions = {}): CheckResult {
  const lists = opts.allowRefusals ? [BOILERPLATE] : [BOILERPLATE, REFUSALS];
  for (const [i, m] of sample.messages.entries()) {
    if (m.role !== 'assistant' || m.content.length === 0) continue;
    for (const [l, list] of lists.entries()) {
      const hit = list.map((re) => re.exec(m.content)).find((x) => x !== null);
      if (hit) {
        const what = l === 0 ? 'assistant boilerplate' : 'a refusal';
        return { ok: false, kind: 'filtered', message: `refusal: message ${i + 1} (assistant) contains ${what}: "${hit[0]}"` };
      }
    }
  }
  return { ok: true };
}
