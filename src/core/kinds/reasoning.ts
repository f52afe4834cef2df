/**
 * `reasoning`: the assistant's reasoning before each of its turns, on the message (`reasoning`, null on user
 * turns), so a multi-turn example carries the reasoning of every answer, not only the last. The sample's
 * own `reasoning` field holds the final answer's reasoning (what single-turn readers expect); the exports
 * place each turn's reasoning as their format wants (docs/export.md).
 */
import { z } from 'zod';
import type { Message } from '../types.js';
import { demoReasoning, demoTurns } from './demo-text.js';
import type { DatasetKind, GeneratedExample } from './types.js';

/** Reasoning tokens one example is expected to add (plan estimate). */
const REASONING_TOKENS = 350;

const ReasoningMessage = z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string(), reasoning: z.string().nullable() });

function toMessages(example: GeneratedExample): Message[] {
  return example.messages.map((m) => {
    const msg: Message = { role: m.role, content: m.content };
    if (m.role === 'assistant' && typeof m.reasoning === 'string' && m.reasoning.trim()) msg.reasoning = m.reasoning;
    return msg;
  });
}

export const reasoningKind: DatasetKind = {
  type: 'reasoning',
  exampleSchema: () => z.strictObject({ messages: z.array(ReasoningMessage) }) as unknown as z.ZodType<GeneratedExample>,
  systemAddendum: 'For each assistant turn you also write the reasoning the assistant does before that answer.',
  promptLines: () => [
    'Put the assistant\'s step-by-step reasoning for each of its answers in that message\'s "reasoning" (null on user ' +
      'messages); the message content holds only the answer.',
  ],
  toMessages: (example) => {
    const messages = toMessages(example);
    const last = [...messages].reverse().find((m) => m.role === 'assistant');
    return { messages, reasoning: last?.reasoning ?? '' };
  },
  check: (example) => {
    const missing = example.messages.findIndex((m) => m.role === 'assistant' && !(typeof m.reasoning === 'string' && m.reasoning.trim()));
    return missing < 0 ? null : { kind: 'schema', message: `message ${missing + 1}: an assistant turn without reasoning` };
  },
  toolCalls: false,
  extraOutputTokens: REASONING_TOKENS,
  demoExample: (slot, rand) => ({
    messages: demoTurns(rand, slot).map((m) => ({ ...m, reasoning: m.role === 'assistant' ? demoReasoning(rand, slot) : null })),
  }),
};
