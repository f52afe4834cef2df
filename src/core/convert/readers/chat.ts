/**
 * Chat rows back into the canonical sample: OpenAI `{messages, tools?}` (arguments JSON strings) and TRL
 * `{messages, tools?}`, conversational `{prompt, completion}` (arguments objects) or plain
 * `{prompt: "...", completion: "..."}`. OpenAI has no reasoning field, so its text stays as it is; TRL
 * keeps reasoning as a <think> block of the final answer or a `reasoning_content` field.
 */
import type { Role, ToolCall } from '../../types.js';
import { buildSample, CallIds, contentText, extraKeys, isRecord, type ReadMessage, type ReadRow, RowError, toolCall, toolsOf } from './shared.js';

const ROLE_OF: Record<string, Role> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant', tool: 'tool' };

const MESSAGE_KEYS = new Set(['role', 'content', 'tool_calls', 'tool_call_id', 'reasoning', 'reasoning_content']);

/** Reads a message list; keys of a message that no sample field holds go into `extra` as `messages[].KEY`. */
export function readMessages(list: unknown, field: string, ids: CallIds, extra: Set<string>): ReadMessage[] {
  if (!Array.isArray(list) || list.length === 0) throw new RowError(`${field} must be a non-empty list of messages`);
  const pending: ToolCall[] = [];
  return list.map((raw, i) => {
    const where = `${field}[${i}]`;
    if (!isRecord(raw)) throw new RowError(`${where} is not an object`);
    const role = typeof raw.role === 'string' ? ROLE_OF[raw.role] : undefined;
    if (!role) throw new RowError(`${where}.role must be system, user, assistant or tool (found ${JSON.stringify(raw.role)})`);
    for (const key of Object.keys(raw)) {
      // A tool message's name is its call's name (the trl writer puts it back), so it is not lost.
      if (!MESSAGE_KEYS.has(key) && !(key === 'name' && role === 'tool')) extra.add(`messages[].${key}`);
    }
    const m: ReadMessage = { role, content: contentText(raw.content, `${where}.content`) };
    if (role === 'assistant') {
      const reasoning = raw.reasoning_content ?? raw.reasoning;
      if (typeof reasoning === 'string' && reasoning.trim() !== '') m.reasoning = reasoning;
      if (raw.tool_calls !== undefined && raw.tool_calls !== null) {
        if (!Array.isArray(raw.tool_calls)) throw new RowError(`${where}.tool_calls must be a list`);
        const calls = raw.tool_calls.map((c, k) => {
          const at = `${where}.tool_calls[${k}]`;
          if (!isRecord(c) || !isRecord(c.function)) throw new RowError(`${at} must be {id, type: "function", function: {name, arguments}}`);
          return toolCall(ids.take(c.id), c.function.name, c.function.arguments, at);
        });
        if (calls.length > 0) {
          m.tool_calls = calls;
          pending.push(...calls);
        }
      }
    } else if (role === 'tool') m.tool_call_id = answeredCall(raw, pending, where);
    return m;
  });
}

/** The call a tool message answers: its tool_call_id, else the oldest open call of its name, else the oldest open call. */
function answeredCall(raw: Record<string, unknown>, pending: ToolCall[], where: string): string {
  let at = typeof raw.tool_call_id === 'string' && raw.tool_call_id !== '' ? pending.findIndex((c) => c.id === raw.tool_call_id) : -1;
  if (at < 0 && typeof raw.tool_call_id === 'string' && raw.tool_call_id !== '') return raw.tool_call_id;
  if (at < 0 && typeof raw.name === 'string') at = pending.findIndex((c) => c.function.name === raw.name);
  if (at < 0) at = pending.length > 0 ? 0 : -1;
  if (at < 0) throw new RowError(`${where} is a tool result that answers no tool call`);
  const [call] = pending.splice(at, 1);
  return (call as ToolCall).id;
}

export function readOpenaiRow(row: Record<string, unknown>): ReadRow {
  const ids = new CallIds();
  const extra = new Set<string>();
  const messages = readMessages(row.messages, 'messages', ids, extra);
  return buildSample(messages, {
    thinkInText: false,
    tools: toolsOf(row.tools, 'tools'),
    extraKeys: [...extraKeys(row, ['messages', 'tools', 'parallel_tool_calls']), ...extra],
    newIds: ids.fresh,
  });
}

export function readTrlRow(row: Record<string, unknown>): ReadRow {
  const ids = new CallIds();
  const extra = new Set<string>();
  let messages: ReadMessage[];
  if (row.messages !== undefined) messages = readMessages(row.messages, 'messages', ids, extra);
  else if (typeof row.prompt === 'string' && typeof row.completion === 'string') {
    messages = [
      { role: 'user', content: row.prompt },
      { role: 'assistant', content: row.completion },
    ];
  } else if (Array.isArray(row.prompt) && Array.isArray(row.completion)) {
    messages = readMessages([...row.prompt, ...row.completion], 'prompt + completion', ids, extra);
  } else throw new RowError('a trl row needs messages, or prompt and completion (both strings or both lists of messages)');
  return buildSample(messages, {
    thinkInText: true,
    tools: toolsOf(row.tools, 'tools'),
    extraKeys: [...extraKeys(row, ['messages', 'prompt', 'completion', 'tools']), ...extra],
    newIds: ids.fresh,
  });
}

/**
 * Which chat flavour a `{messages}` row shows: arguments as strings say openai, as objects trl (so does a
 * `reasoning_content` field); a row without either could be both.
 */
export function chatFlavour(row: Record<string, unknown>): 'openai' | 'trl' | null {
  const messages = Array.isArray(row.messages) ? row.messages : [];
  for (const m of messages) {
    if (!isRecord(m)) continue;
    if (typeof m.reasoning_content === 'string') return 'trl';
    if (typeof m.weight === 'number') return 'openai';
    for (const c of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      const args = isRecord(c) && isRecord(c.function) ? c.function.arguments : undefined;
      if (typeof args === 'string') return 'openai';
      if (isRecord(args)) return 'trl';
    }
  }
  return null;
}
