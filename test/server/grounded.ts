/**
 * Grounded answers (`{examples: [{question, answer, evidence}]}`, src/core/kinds/grounded.ts): the answer
 * and its evidence are a sentence of the passage in the prompt, as a model following the instructions
 * would write them, so the run's grounding check passes. The request counter makes questions distinct.
 */
import type { AnswerContext, JsonSchema } from './answers.js';
import { answerText, questionText } from './text.js';
import { NOUNS } from './vocabulary.js';

export function isGroundedSchema(schema: JsonSchema): boolean {
  const examples = (schema.properties as Record<string, JsonSchema> | undefined)?.examples;
  const item = examples?.items as JsonSchema | undefined;
  const props = item?.properties as Record<string, unknown> | undefined;
  return !!props && 'evidence' in props && 'question' in props;
}

export function groundedAnswer(schema: JsonSchema, prompt: string, ctx: AnswerContext): unknown {
  const count = Number(((schema.properties as Record<string, JsonSchema>).examples as JsonSchema).minItems ?? 1);
  const passage = /<passage [^\n]*>\n([\s\S]*?)\n<\/passage>/.exec(prompt)?.[1] ?? '';
  const sentences = passage.split(/(?<=[.!?])\s+/).map((s) => s.replace(/^#+\s*/gm, '').trim()).filter((s) => /[a-z]/i.test(s));
  return {
    examples: Array.from({ length: count }, (_, i) => {
      const sentence = sentences[(ctx.counter + i) % Math.max(1, sentences.length)] ?? 'The passage does not say.';
      // Words of the server's own vocabulary make each question distinct (no numbers: the answer may not add any).
      const words = Array.from({ length: 8 }, () => NOUNS[Math.floor(ctx.rng() * NOUNS.length)]).join(' ');
      return { question: `Regarding ${words}: what does it say about ${sentence.split(/\s+/).slice(0, 3).join(' ')}?`, answer: `As for ${words}: ${sentence}`, evidence: [sentence] };
    }),
  };
}

/** An augmented conversation (schema `augmented_example`, src/core/augment/prompt.ts): one fresh user/assistant pair. */
export function augmentedAnswer(ctx: AnswerContext): unknown {
  return { messages: [{ role: 'user', content: questionText(ctx.rng, ctx.counter) }, { role: 'assistant', content: answerText(ctx.rng, 120, 300) }] };
}
