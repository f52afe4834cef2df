/**
 * ShareGPT `{conversations: [{from, value}], system?, tools?}` back into the canonical sample, read the
 * way the exporter writes it (the LLaMA-Factory convention): a `function_call` turn is `{"name",
 * "arguments"}` or a list of them, the `observation` turn after it is the result text; when it answers
 * several calls, their results joined as LLaMA-Factory joins them (what the exporter writes), or a JSON list. ShareGPT has no tool-call ids: the calls get call_1, call_2...
 * Reasoning is a <think> block at the start of the gpt turn it belongs to.
 */
import type { ToolCall } from '../../types.js';
import { TOOL_RESPONSE_SEPARATOR } from '../../export/formats/sharegpt.js';
import { buildSample, CallIds, extraKeys, isRecord, type ReadMessage, type ReadRow, RowError, toolCall, toolsOf } from './shared.js';

const FROM: Record<string, 'system' | 'user' | 'assistant' | 'function_call' | 'observation'> = {
  system: 'system',
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  bot: 'assistant',
  function_call: 'function_call',
  observation: 'observation',
  tool: 'observation',
};

export function readSharegptRow(row: Record<string, unknown>): ReadRow {
  const turns = row.conversations;
  if (!Array.isArray(turns) || turns.length === 0) throw new RowError('conversations must be a non-empty list of {from, value} turns');
  const ids = new CallIds();
  const messages: ReadMessage[] = [];
  if (typeof row.system === 'string' && row.system !== '') messages.push({ role: 'system', content: row.system });
  let open: ToolCall[] = [];
  const extra = new Set<string>();
  turns.forEach((turn, i) => {
    const where = `conversations[${i}]`;
    if (!isRecord(turn)) throw new RowError(`${where} is not a {from, value} object`);
    const kind = typeof turn.from === 'string' ? FROM[turn.from] : undefined;
    if (!kind) throw new RowError(`${where}.from must be system, human, gpt, function_call or observation (found ${JSON.stringify(turn.from)})`);
    if (typeof turn.value !== 'string') throw new RowError(`${where}.value must be a string`);
    for (const key of Object.keys(turn)) if (key !== 'from' && key !== 'value') extra.add(`conversations[].${key}`);
    const value = turn.value;
    if (kind === 'function_call') {
      open = readCalls(value, where, ids);
      messages.push({ role: 'assistant', content: '', tool_calls: open });
    } else if (kind === 'observation') {
      if (open.length === 0) throw new RowError(`${where} is an observation that follows no function_call`);
      const results = open.length === 1 ? [value] : resultList(value, open.length, where);
      open.forEach((call, k) => messages.push({ role: 'tool', tool_call_id: call.id, content: results[k] as string }));
      open = [];
    } else messages.push({ role: kind, content: value });
  });
  return buildSample(messages, {
    thinkInText: true,
    tools: toolsOf(row.tools, 'tools'),
    extraKeys: [...extraKeys(row, ['conversations', 'system', 'tools']), ...extra],
    newIds: ids.fresh,
  });
}

function readCalls(value: string, where: string, ids: CallIds): ToolCall[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new RowError(`${where}.value of a function_call turn must be JSON {"name", "arguments"}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) throw new RowError(`${where}.value is an empty list of calls`);
  return list.map((c, k) => {
    if (!isRecord(c)) throw new RowError(`${where}.value call ${k + 1} is not {"name", "arguments"}`);
    return toolCall(ids.take(c.id), c.name, c.arguments, `${where}.value call ${k + 1}`);
  });
}

/**
 * The results of an observation that answers `n` calls: n texts joined by LLaMA-Factory's separator (the
 * exporter's shape, docs/export.md), or a JSON list of n texts.
 */
function resultList(value: string, n: number, where: string): string[] {
  const joined = value.split(TOOL_RESPONSE_SEPARATOR);
  if (joined.length === n) return joined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== n) throw new RowError(`${where} answers ${n} parallel calls but is neither ${n} results joined by </tool_response><tool_response> nor a JSON list of ${n} results`);
  return parsed.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
}
