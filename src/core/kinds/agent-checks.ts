/**
 * The agent kind's answer check and mapping: one generated example (the shape agentAnswerSchema asks for)
 * becomes canonical messages, or a one-line reason it cannot (for a retry with feedback, then a `schema`
 * failure). Checked: roles in order (user first, tool results right after the call that asked for them,
 * the last message an assistant answer), the user-turn count the slot was planned with, every call naming a
 * configured tool with arguments valid against its full JSON schema (ajv), ids unique, every id answered
 * by exactly one tool message, at most `maxSteps` tool-call steps per user turn.
 */
import type { Message, ToolCall, ToolDefinition } from '../types.js';
import { validateToolCall } from './tool-args.js';

/** A message as the agent answer schema gives it. */
export interface GeneratedAgentMessage {
  role: string;
  content: string;
  tool_calls?: Array<{ id: string; name: string; arguments: Record<string, unknown> | string }> | null;
  tool_call_id?: string | null;
  reasoning?: string | null;
}

export interface AgentCheckOptions {
  tools: readonly ToolDefinition[];
  /** The user-turn count the slot was planned with (checked when given). */
  userTurns?: number;
  /** conversation.agent_steps: most assistant steps with tool calls per user turn. */
  maxSteps?: number;
  /** Every user turn's episode must use at least one tool (default false: only the example as a whole). */
  toolsEveryTurn?: boolean;
}

export type AgentCheck = { ok: true; messages: Message[] } | { ok: false; message: string };

const fail = (message: string): AgentCheck => ({ ok: false, message });

export function checkAgentExample(generated: readonly GeneratedAgentMessage[], opts: AgentCheckOptions): AgentCheck {
  if (generated.length === 0) return fail('the example has no messages');
  if (generated[0]?.role !== 'user') return fail(`message 1 is ${generated[0]?.role ?? 'missing'}, not the user`);
  const out: Message[] = [];
  const pending = new Set<string>();
  const ids = new Set<string>();
  let users = 0;
  let steps = 0;
  let calls = 0;
  for (let i = 0; i < generated.length; i++) {
    const m = generated[i] as GeneratedAgentMessage;
    const at = `message ${i + 1}`;
    if (typeof m.content !== 'string') return fail(`${at}: content must be a string`);
    const hasCalls = Array.isArray(m.tool_calls) && m.tool_calls.length > 0;
    if (m.role !== 'tool' && pending.size > 0) return fail(`${at}: ${[...pending].join(', ')} not answered by a tool message before the next turn`);
    if (m.role === 'user') {
      if (hasCalls || m.tool_call_id) return fail(`${at}: a user message has tool_calls or tool_call_id`);
      if (out[out.length - 1]?.role === 'user') return fail(`${at}: two user messages in a row`);
      if (!m.content.trim()) return fail(`${at}: empty user message`);
      users++;
      steps = 0;
      out.push({ role: 'user', content: m.content });
    } else if (m.role === 'assistant') {
      if (m.tool_call_id) return fail(`${at}: an assistant message has a tool_call_id`);
      const message: Message = { role: 'assistant', content: m.content };
      if (typeof m.reasoning === 'string' && m.reasoning.trim()) message.reasoning = m.reasoning;
      if (hasCalls) {
        if (++steps > (opts.maxSteps ?? Infinity)) return fail(`${at}: more than ${opts.maxSteps} tool-call steps in one user turn`);
        const toolCalls: ToolCall[] = [];
        for (const call of m.tool_calls ?? []) {
          if (typeof call.id !== 'string' || !call.id.trim()) return fail(`${at}: a tool call has no id`);
          if (ids.has(call.id)) return fail(`${at}: tool call id "${call.id}" is used twice`);
          const check = validateToolCall(call, opts.tools);
          if (!check.ok) return fail(`${at}: ${check.message}`);
          ids.add(call.id);
          pending.add(call.id);
          toolCalls.push({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(check.arguments) } });
          calls++;
        }
        message.tool_calls = toolCalls;
      } else if (!m.content.trim()) return fail(`${at}: empty assistant answer`);
      out.push(message);
    } else if (m.role === 'tool') {
      const id = m.tool_call_id ?? '';
      if (!pending.has(id)) return fail(`${at}: tool result for "${id}", which is no call waiting for a result`);
      if (hasCalls) return fail(`${at}: a tool message has tool_calls`);
      pending.delete(id);
      out.push({ role: 'tool', content: m.content, tool_call_id: id });
    } else return fail(`${at}: unknown role "${m.role}"`);
  }
  if (pending.size > 0) return fail(`tool calls ${[...pending].join(', ')} have no result`);
  const last = out[out.length - 1] as Message;
  if (last.role !== 'assistant' || last.tool_calls) return fail('the last message is not the assistant answer');
  if (opts.userTurns !== undefined && users !== opts.userTurns) return fail(`${users} user turns, but this example was planned with ${opts.userTurns}`);
  if (calls === 0) return fail('the assistant never calls a tool');
  if (opts.toolsEveryTurn) {
    let turnCalls = 0;
    for (const m of [...out, { role: 'user' } as Message]) {
      if (m.role === 'user' && m !== out[0] && turnCalls === 0) return fail('a user turn is answered without any tool call');
      if (m.role === 'user') turnCalls = 0;
      else if (m.tool_calls) turnCalls++;
    }
  }
  return { ok: true, messages: out };
}
