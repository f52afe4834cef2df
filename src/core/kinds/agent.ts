/**
 * `agent`: tool-calling conversations: assistant tool calls, one tool result per call, then the answer.
 * The wire schema is agentAnswerSchema (each tool's parameter schema as its call's `arguments`, under the
 * provider's structured-output dialect); the answer is held as the model wrote it (a permissive zod schema)
 * and checkAgentExample validates and maps it: calls name configured tools, arguments valid against the
 * full JSON schema (ajv), every id answered once, the last message the answer, the planned user turns.
 * Canonical tool calls carry the validated arguments as JSON strings.
 */
import { z } from 'zod';
import type { Config } from '../config.js';
import type { SlotSpec, ToolDefinition } from '../types.js';
import { checkAgentExample, type AgentCheck, type GeneratedAgentMessage } from './agent-checks.js';
import { agentAnswerSchema } from './agent-schema.js';
import { demoValue } from './demo-args.js';
import { demoAssistantTurn, demoUserTurn, num, pick } from './demo-text.js';
import type { DatasetKind, GeneratedExample } from './types.js';

/** Output tokens the tool calls and results add to one example (plan estimate). */
const AGENT_TOKENS = 160;

export function toolNamesOf(config: Config): string[] {
  return config.conversation.tools.map((t) => t.function.name);
}

/** Messages are objects with a role and a string content; everything else is the check's to judge. */
const RawMessage = z.looseObject({ role: z.string(), content: z.string() });
const RawExample = z.looseObject({ messages: z.array(RawMessage) });

function checked(example: GeneratedExample, config: Config, slot?: SlotSpec): AgentCheck {
  return checkAgentExample(example.messages as GeneratedAgentMessage[], {
    tools: config.conversation.tools,
    userTurns: slot?.turns,
    maxSteps: config.conversation.agent_steps,
  });
}

/** Demo arguments valid for the tool's parameter schema. */
function demoArguments(tool: ToolDefinition | undefined, rand: () => number): Record<string, unknown> {
  return demoValue(tool?.function.parameters ?? { type: 'object' }, rand) as Record<string, unknown>;
}

export const agentKind: DatasetKind = {
  type: 'agent',
  exampleSchema: () => RawExample as unknown as z.ZodType<GeneratedExample>,
  wireSchema: (config, count, dialect) => agentAnswerSchema(config.conversation.tools, { examples: count, dialect }),
  systemAddendum: 'The assistant uses the provided tools when they help, and answers from their results.',
  promptLines: (config) => [
    `Tools available to the assistant (OpenAI function format): ${JSON.stringify(config.conversation.tools)}`,
    'In each example the assistant calls at least one tool: an assistant message with tool_calls (each with an id ' +
      'unique in the example, the tool name, and arguments as a JSON object valid for that tool\'s parameters; ' +
      'several calls at once when they are independent) and content "" or a short note, then one "tool" message per ' +
      'call with its tool_call_id and a realistic JSON result as content (an {"error": ...} result when the call ' +
      'cannot succeed), then an assistant message answering from the results. Messages without tool calls have ' +
      'tool_calls null and tool_call_id null.',
    `Each user turn takes at most ${config.conversation.agent_steps} tool-call steps before the assistant answers.`,
  ],
  toMessages: (example, config) => {
    const result = checked(example, config);
    if (!result.ok) throw new Error(`agent example mapped without its check passing: ${result.message}`);
    return { messages: result.messages, tools: config.conversation.tools };
  },
  check: (example, slot, config) => {
    const result = checked(example, config, slot);
    return result.ok ? null : { kind: 'schema', message: result.message };
  },
  toolCalls: true,
  extraOutputTokens: AGENT_TOKENS,
  demoExample: (slot, rand, tools) => {
    const plain = (role: 'user' | 'assistant', content: string) => ({ role, content, tool_calls: null, tool_call_id: null });
    const messages: GeneratedExample['messages'] = [];
    for (let turn = 0; turn < slot.turns; turn++) {
      messages.push(plain('user', demoUserTurn(rand, slot, turn)));
      if (turn === 0 && tools.length > 0) {
        const tool = pick(rand, tools);
        const name = tool.function.name;
        const id = `call_${num(rand)}`;
        messages.push({ role: 'assistant', content: '', tool_calls: [{ id, name, arguments: demoArguments(tool, rand) }], tool_call_id: null });
        messages.push({ role: 'tool', content: JSON.stringify({ status: 'ok', id: num(rand), note: `demo result for ${name}` }), tool_calls: null, tool_call_id: id });
      }
      messages.push(plain('assistant', demoAssistantTurn(rand, slot)));
    }
    return { messages };
  },
};
