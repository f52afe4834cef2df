/**
 * The request that derives a new sample from an accepted one. The answer is the new conversation's user
 * and assistant turns (the origin's system message is kept as it was, not regenerated), in the same
 * strict schema shape as generation. Grounded origins carry their passage, so an expanded or harder
 * answer stays supported by it.
 */
import type { Message, Sample } from '../types.js';
import { hash32 } from '../random.js';
import type { AugmentMethod, AugmentSlot } from './plan.js';

export const AUGMENT_SCHEMA_NAME = 'augmented_example';

export const augmentSchema: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['messages'],
  properties: {
    messages: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['role', 'content'],
        properties: { role: { type: 'string', enum: ['user', 'assistant'] }, content: { type: 'string' } },
      },
    },
  },
};

const FORMATS = ['a numbered list of steps', 'short paragraphs of prose', 'a bulleted summary followed by one sentence of advice', 'a small Markdown table where the content allows, else a list'];

/** What each method asks for; `difficulty` alternates harder and simpler by variant, `format` picks a target format by hash. */
export function methodInstruction(method: AugmentMethod, slot: Pick<AugmentSlot, 'derivedFrom' | 'variant'>, formats: readonly string[] = []): string {
  switch (method) {
    case 'rephrase':
      return 'Rephrase the user turns with different wording, sentence structure and vocabulary, keeping their meaning and intent. Rewrite the assistant turns to answer the rephrased turns with the same facts.';
    case 'expand':
      return 'Keep the user turns as they are. Expand the assistant answers: more explanation, an example, or the caveats a careful expert would add. Add no facts that the original answer (or the passage, when given) does not support.';
    case 'difficulty':
      return slot.variant % 2 === 0
        ? 'Make the conversation harder: the user asks a more demanding version of the question (more constraints, an edge case, or a follow-up that needs reasoning). The assistant answers it correctly.'
        : 'Make the conversation simpler: the user asks a more basic version of the question, as a beginner would. The assistant answers it clearly and correctly.';
    case 'format': {
      const list = formats.length > 0 ? formats : FORMATS;
      const target = list[hash32(`${slot.derivedFrom}:${slot.variant}`) % list.length] as string;
      return `Keep the user turns' meaning. Rewrite the assistant answers as ${target}, keeping every fact.`;
    }
  }
}

export function augmentRequest(input: {
  origin: Sample;
  slot: AugmentSlot;
  passage?: string;
  formats?: readonly string[];
}): { system: string; user: string; schema: Record<string, unknown>; schemaName: string } {
  const { origin, slot } = input;
  const turns = origin.messages.filter((m) => m.role === 'user' || m.role === 'assistant');
  const system = [
    'You derive a new training example from an existing one. Keep its language, its topic and its number of turns.',
    'Return the new conversation as JSON: messages, alternating user and assistant, starting with user.',
  ].join('\n');
  const original = turns.map((m) => `${m.role}: ${m.content}`).join('\n\n');
  const user = [
    input.passage ? `The example is grounded in this passage; stay within it:\n<passage>\n${input.passage}\n</passage>\n` : '',
    `Original example:\n${original}\n`,
    `Task: ${methodInstruction(slot.method, slot, input.formats)}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { system, user, schema: augmentSchema, schemaName: AUGMENT_SCHEMA_NAME };
}

/** The origin's system message (if any) followed by the generated turns. */
export function augmentedMessages(origin: Sample, generated: ReadonlyArray<{ role: 'user' | 'assistant'; content: string }>): Message[] {
  const system = origin.messages.filter((m) => m.role === 'system');
  return [...system, ...generated.map((m) => ({ role: m.role, content: m.content }))];
}
