/** `basic`: single- or multi-turn chat between a user and the assistant. */
import { z } from 'zod';
import type { Message } from '../types.js';
import { demoTurns } from './demo-text.js';
import type { DatasetKind, GeneratedExample } from './types.js';

export const ChatMessage = z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string() });

export function chatMessages(example: GeneratedExample): Message[] {
  return example.messages.map((m) => ({ role: m.role, content: m.content }));
}

export const basicKind: DatasetKind = {
  type: 'basic',
  exampleSchema: () => z.strictObject({ messages: z.array(ChatMessage) }),
  systemAddendum: '',
  promptLines: () => [],
  toMessages: (example) => ({ messages: chatMessages(example) }),
  check: () => null,
  toolCalls: false,
  extraOutputTokens: 0,
  demoExample: (slot, rand) => ({ messages: demoTurns(rand, slot) }),
};
