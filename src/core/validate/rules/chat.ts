/**
 * Rules for chat rows (`openai` and TRL `{messages}` / conversational `{prompt, completion}`): the
 * OpenAI fine-tuning checks and Together's `files check` role order. The formats differ in one thing
 * trainers enforce: tool-call arguments are a JSON string for OpenAI and an object for TRL.
 */
import { describeType, isRecord, quote, type Report } from '../problems.js';

export type ChatFlavour = 'openai' | 'trl';

const ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const OPENAI_MESSAGE_KEYS = new Set(['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'weight']);
const OPENAI_ROW_KEYS = new Set(['messages', 'tools', 'parallel_tool_calls']);
const TRL_MESSAGE_KEYS = new Set(['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'reasoning_content']);

export function checkOpenaiRow(row: Record<string, unknown>, report: Report): void {
  for (const key of Object.keys(row)) {
    if (!OPENAI_ROW_KEYS.has(key)) report('error', `unknown key ${quote(key)} (OpenAI accepts only messages, tools, parallel_tool_calls)`);
  }
  if (row.parallel_tool_calls !== undefined && typeof row.parallel_tool_calls !== 'boolean') {
    report('error', 'parallel_tool_calls must be true or false');
  }
  checkTools(row.tools, report);
  checkMessages(row.messages, 'openai', report, 'messages');
}

export function checkTrlRow(row: Record<string, unknown>, report: Report): void {
  checkTools(row.tools, report);
  const extra = Object.keys(row).filter((k) => !['messages', 'prompt', 'completion', 'tools'].includes(k));
  for (const key of extra) report('warning', `extra column ${quote(key)} (TRL ignores it; Together rejects extra columns)`);
  if (row.messages !== undefined) {
    checkMessages(row.messages, 'trl', report, 'messages');
    return;
  }
  if (typeof row.prompt === 'string' || typeof row.completion === 'string') {
    if (typeof row.prompt !== 'string' || typeof row.completion !== 'string') {
      report('error', 'prompt and completion must both be strings or both be lists of messages');
    } else if (row.completion.trim() === '') report('error', 'completion is empty (nothing to train on)');
    return;
  }
  if (!Array.isArray(row.prompt) || !Array.isArray(row.completion)) {
    report('error', 'a TRL row needs messages, or prompt and completion');
    return;
  }
  if (!row.completion.some((m) => isRecord(m) && m.role === 'assistant')) report('error', 'completion has no assistant message (nothing to train on)');
  checkMessages([...row.prompt, ...row.completion], 'trl', report, 'prompt + completion');
}

function checkTools(tools: unknown, report: Report): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) {
    report('error', `tools must be a list of function definitions, found ${describeType(tools)}`);
    return;
  }
  tools.forEach((t, i) => {
    const fn = isRecord(t) ? t.function : undefined;
    if (!isRecord(t) || t.type !== 'function' || !isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') {
      report('error', `tool ${i + 1} must be {type: "function", function: {name, description?, parameters?}}`);
    }
  });
}

function checkMessages(messages: unknown, flavour: ChatFlavour, report: Report, field: string): void {
  if (!Array.isArray(messages) || messages.length === 0) {
    report('error', `${field} must be a non-empty list of messages, found ${Array.isArray(messages) ? 'an empty list' : describeType(messages)}`);
    return;
  }
  const callIds = new Set<string>();
  const roles: (string | null)[] = [];
  messages.forEach((m, i) => roles.push(checkMessage(m, i + 1, flavour, callIds, report)));
  checkRoleOrder(messages, roles, report);
}

/** Checks one message; returns its role when it is a known one. */
function checkMessage(m: unknown, n: number, flavour: ChatFlavour, callIds: Set<string>, report: Report): string | null {
  const at = `message ${n}`;
  if (!isRecord(m)) {
    report('error', `${at} must be an object, found ${describeType(m)}`);
    return null;
  }
  const allowed = flavour === 'openai' ? OPENAI_MESSAGE_KEYS : TRL_MESSAGE_KEYS;
  for (const key of Object.keys(m)) {
    if (!allowed.has(key)) report(flavour === 'openai' ? 'error' : 'warning', `${at}: unknown key ${quote(key)}`);
  }
  const role = m.role;
  if (typeof role !== 'string' || !ROLES.has(role)) {
    report('error', `${at}: ${role === undefined ? 'no role' : `unknown role ${quote(role)}`} (use system, user, assistant or tool)`);
    return null;
  }
  const hasCalls = m.tool_calls !== undefined && m.tool_calls !== null;
  if (m.content === undefined || m.content === null) {
    if (!(role === 'assistant' && hasCalls)) report('error', `${at}: ${role} message has no content`);
  } else if (Array.isArray(m.content)) {
    if (flavour !== 'openai' || !m.content.every((p) => isRecord(p) && typeof p.type === 'string')) {
      report('error', `${at}: content must be a string`);
    }
  } else if (typeof m.content !== 'string') report('error', `${at}: content must be a string, found ${describeType(m.content)}`);
  else if (m.content.trim() === '' && !hasCalls) report('warning', `${at}: empty ${role} message`);

  if (m.weight !== undefined && (role !== 'assistant' || (m.weight !== 0 && m.weight !== 1))) {
    report('error', `${at}: weight must be 0 or 1 and only on assistant messages`);
  }
  if (hasCalls) checkToolCalls(m.tool_calls, role, at, flavour, callIds, report);
  if (role === 'tool') {
    if (typeof m.tool_call_id !== 'string' || m.tool_call_id === '') {
      if (flavour === 'openai') report('error', `${at}: a tool message needs tool_call_id`);
    } else if (!callIds.has(m.tool_call_id)) report('warning', `${at}: tool_call_id ${quote(m.tool_call_id)} matches no earlier tool call`);
  }
  return role;
}

function checkToolCalls(calls: unknown, role: string, at: string, flavour: ChatFlavour, ids: Set<string>, report: Report): void {
  if (role !== 'assistant') {
    report('error', `${at}: only assistant messages may have tool_calls`);
    return;
  }
  if (!Array.isArray(calls) || calls.length === 0) {
    report('error', `${at}: tool_calls must be a non-empty list`);
    return;
  }
  calls.forEach((call, k) => {
    const where = `${at}, tool call ${k + 1}`;
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(call) || !isRecord(fn)) {
      report('error', `${where}: must be {id, type: "function", function: {name, arguments}}`);
      return;
    }
    if (typeof call.id === 'string') ids.add(call.id);
    else if (flavour === 'openai') report('error', `${where}: id must be a string`);
    if (call.type !== undefined && call.type !== 'function') report('error', `${where}: type must be "function"`);
    if (typeof fn.name !== 'string' || fn.name === '') report('error', `${where}: function.name must be a non-empty string`);
    const args = fn.arguments;
    if (flavour === 'openai') {
      if (typeof args !== 'string') report('error', `${where}: arguments must be a JSON string for OpenAI, found ${describeType(args)}`);
      else if (!isJsonObjectText(args)) report('error', `${where}: arguments are not a JSON object`);
    } else if (!isRecord(args)) {
      report('error', `${where}: arguments must be an object for TRL, found ${describeType(args)}`);
    }
  });
}

function isJsonObjectText(text: string): boolean {
  try {
    return isRecord(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Together's rule: after an optional system prompt, user and assistant turns alternate; tool results answer tool calls. */
function checkRoleOrder(messages: unknown[], roles: (string | null)[], report: Report): void {
  if (!roles.includes('assistant')) report('error', 'no assistant message (nothing to train on)');
  let started = false;
  let prev: string | null = null;
  let prevCalls = false;
  roles.forEach((role, i) => {
    if (role === null) {
      prev = null;
      return;
    }
    const n = i + 1;
    const hasCalls = isRecord(messages[i]) && Array.isArray((messages[i] as Record<string, unknown>).tool_calls);
    if (role === 'system' || role === 'developer') {
      if (started) report('error', `message ${n}: a ${role} message after the conversation started`);
    } else if (!started) {
      started = true;
      if (role !== 'user') report('error', `message ${n}: the conversation must start with a user message, found ${role}`);
    } else if (prevCalls && role !== 'tool') {
      report('error', `message ${n}: the tool call in message ${n - 1} must be followed by its tool result`);
    } else if (role === 'user' && prev === 'user') report('error', `messages ${n - 1} and ${n}: two user messages in a row`);
    else if (role === 'user' && prev === 'tool') report('error', `message ${n}: a user message right after a tool result (the assistant answers first)`);
    else if (role === 'assistant' && prev === 'assistant') report('error', `messages ${n - 1} and ${n}: two assistant messages in a row`);
    else if (role === 'tool' && prev !== 'tool' && !(prev === 'assistant' && prevCalls)) {
      report('error', `message ${n}: a tool result without a tool call before it`);
    }
    prev = role;
    prevCalls = role === 'assistant' && hasCalls;
  });
  if (prev === 'user') report('warning', 'the last message is from the user, so it is not trained on');
}
