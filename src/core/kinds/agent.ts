/** `agent`: tool-calling conversations: assistant tool calls, one tool result per call, then the answer. */
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Message, ToolDefinition } from '../types.js';
import { demoAssistantTurn, demoUserTurn, NOUNS, num, pick } from './demo-text.js';
import type { DatasetKind, GeneratedExample } from './types.js';

/** Output tokens the tool calls and results add to one example (plan estimate). */
const AGENT_TOKENS = 160;

export function toolNamesOf(config: Config): string[] {
  return config.conversation.tools.map((t) => t.function.name);
}

function agentMessage(toolNames: string[]) {
  const names = toolNames.length > 0 ? toolNames : ['tool'];
  return z.strictObject({
    role: z.enum(['user', 'assistant', 'tool']),
    content: z.string(),
    tool_calls: z.array(z.strictObject({ id: z.string(), name: z.enum(names as [string, ...string[]]), arguments: z.string() })),
    tool_call_id: z.string(),
  });
}

function toMessages(example: GeneratedExample): Message[] {
  return example.messages.map((m) => {
    const msg: Message = { role: m.role, content: m.content };
    if (m.tool_calls && m.tool_calls.length > 0) {
      msg.tool_calls = m.tool_calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
    }
    if (m.role === 'tool') msg.tool_call_id = m.tool_call_id ?? '';
    return msg;
  });
}

/** Demo arguments that follow the tool's parameter types. */
function demoArguments(tool: ToolDefinition | undefined, rand: () => number): string {
  const props = (tool?.function.parameters?.properties ?? {}) as Record<string, { type?: string }>;
  const args: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(props)) args[key] = def.type === 'number' || def.type === 'integer' ? num(rand) : `${pick(rand, NOUNS)} ${num(rand)}`;
  return JSON.stringify(args);
}

export const agentKind: DatasetKind = {
  type: 'agent',
  exampleSchema: (config) => z.strictObject({ messages: z.array(agentMessage(toolNamesOf(config))) }),
  systemAddendum: 'The assistant uses the provided tools when they help, and answers from their results.',
  promptLines: (config) => [
    `Tools available to the assistant (OpenAI function format): ${JSON.stringify(config.conversation.tools)}`,
    'In each example the assistant calls at least one tool: an assistant message with empty content and tool_calls ' +
      '(id like "call_1", name, arguments as a JSON object encoded in a string), then one "tool" message per call ' +
      'with its tool_call_id and a realistic JSON result as content, then an assistant message answering from the results. ' +
      'Messages without tool calls have tool_calls [] and tool_call_id "".',
  ],
  toMessages: (example, config) => ({ messages: toMessages(example), tools: config.conversation.tools }),
  check: () => null,
  toolCalls: true,
  extraOutputTokens: AGENT_TOKENS,
  demoExample: (slot, rand, tools) => {
    const plain = (role: 'user' | 'assistant', content: string) => ({ role, content, tool_calls: [], tool_call_id: '' });
    const messages: GeneratedExample['messages'] = [];
    for (let turn = 0; turn < slot.turns; turn++) {
      messages.push(plain('user', demoUserTurn(rand, slot, turn)));
      if (turn === 0 && tools.length > 0) {
        const tool = pick(rand, tools);
        const name = tool.function.name;
        const id = `call_${num(rand)}`;
        messages.push({ role: 'assistant', content: '', tool_calls: [{ id, name, arguments: demoArguments(tool, rand) }], tool_call_id: '' });
        messages.push({ role: 'tool', content: JSON.stringify({ status: 'ok', id: num(rand), note: `demo result for ${name}` }), tool_calls: [], tool_call_id: id });
      }
      messages.push(plain('assistant', demoAssistantTurn(rand, slot)));
    }
    return { messages };
  },
};
