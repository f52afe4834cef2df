/**
 * `grounded` (a config with `sources:`): one question-answer pair per slot, written from the slot's chunk.
 * The answer is `{question, answer, evidence}`; the kind checks it against the chunk (checkGrounding: an
 * unsupported answer is `filtered`), lays it out as the training row per `grounding.context`, gives the
 * sample its `source`, and deduplicates on question and answer (the shared passage would make one chunk's
 * questions near duplicates). The exported rows are basic chat rows, so `type` stays `basic`.
 */
import { z } from 'zod';
import { checkGrounding } from '../grounding/check.js';
import { groundedDedupText, groundedMessages, sourceOf } from '../grounding/prompt.js';
import type { SlotSpec } from '../types.js';
import type { DatasetKind, GeneratedExample } from './types.js';

export interface GroundedExample {
  question: string;
  answer: string;
  evidence: string[];
}

const GroundedExampleSchema = z.strictObject({ question: z.string(), answer: z.string(), evidence: z.array(z.string()) });

function qaOf(example: GeneratedExample): GroundedExample {
  return example as unknown as GroundedExample;
}

function dataOf(slot: SlotSpec | undefined) {
  if (!slot?.grounded) throw new Error(`grounded kind: slot ${slot?.id ?? '?'} has no chunk`);
  return slot.grounded;
}

function firstSentence(text: string): string {
  const m = /[^.!?\n]*[A-Za-z][^.!?\n]*[.!?]/.exec(text);
  return (m ? m[0] : text.slice(0, 200)).trim();
}

export const groundedKind: DatasetKind = {
  type: 'basic',
  exampleSchema: () => GroundedExampleSchema as unknown as z.ZodType<GeneratedExample>,
  systemAddendum: '',
  promptLines: () => [],
  toMessages(example, config, slot) {
    const qa = qaOf(example);
    const { chunks } = dataOf(slot);
    const context = config.grounding.context;
    const messages = groundedMessages(qa, chunks, context, context === 'system' ? config.system_prompt : null);
    return { messages, extra: { source: sourceOf(chunks[0]!) }, dedupText: groundedDedupText(qa) };
  },
  check(example, slot) {
    const qa = qaOf(example);
    if (!qa.question.trim() || !qa.answer.trim()) return { kind: 'schema', message: 'the question or the answer is empty' };
    if (dataOf(slot).strategy === 'unanswerable') return null;
    const verdict = checkGrounding(qa, dataOf(slot).chunks.map((c) => c.text));
    return verdict.ok ? null : { kind: 'filtered', message: verdict.message };
  },
  toolCalls: false,
  extraOutputTokens: 60,
  demoExample(slot) {
    const { chunks } = dataOf(slot);
    const sentence = firstSentence(chunks[0]!.text);
    const example: GroundedExample = { question: `What does ${chunks[0]!.file} say (question ${slot.replica + 1})?`, answer: sentence, evidence: [sentence] };
    return example as unknown as GeneratedExample;
  },
};
