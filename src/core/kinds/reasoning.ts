/** `reasoning`: the assistant's reasoning before its final answer, kept in the sample's `reasoning` field. */
import { z } from 'zod';
import { ChatMessage, chatMessages } from './basic.js';
import { demoReasoning, demoTurns } from './demo-text.js';
import type { DatasetKind } from './types.js';

/** Reasoning tokens one example is expected to add (plan estimate). */
const REASONING_TOKENS = 350;

export const reasoningKind: DatasetKind = {
  type: 'reasoning',
  exampleSchema: () => z.strictObject({ reasoning: z.string(), messages: z.array(ChatMessage) }),
  systemAddendum: 'For each example you also write the reasoning the assistant does before its final answer.',
  promptLines: () => ['Put the assistant\'s step-by-step reasoning for its final answer in "reasoning"; its last message holds only the answer.'],
  toMessages: (example) => ({ messages: chatMessages(example), reasoning: example.reasoning ?? '' }),
  check: (example) => (example.reasoning?.trim() ? null : { kind: 'schema', message: 'the reasoning is empty' }),
  toolCalls: false,
  extraOutputTokens: REASONING_TOKENS,
  demoExample: (slot, rand) => {
    const messages = demoTurns(rand, slot);
    return { reasoning: demoReasoning(rand, slot), messages };
  },
};
