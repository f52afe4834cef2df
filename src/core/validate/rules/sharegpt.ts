/**
 * ShareGPT rows (LLaMA-Factory convention): `{conversations: [{from, value}], system?, tools?}` with from
 * = system | human | gpt | function_call | observation. After an optional system turn, human/observation
 * and gpt/function_call turns alternate, starting with human; an observation answers a function_call.
 */
import { describeType, isRecord, quote, type Report } from '../problems.js';

const FROM = new Set(['system', 'human', 'gpt', 'function_call', 'observation']);
const MODEL_SIDE = new Set(['gpt', 'function_call']);

export function checkSharegptRow(row: Record<string, unknown>, report: Report): void {
  for (const key of Object.keys(row)) {
    if (!['conversations', 'system', 'tools'].includes(key)) report('warning', `extra column ${quote(key)}`);
  }
  if (row.system !== undefined && row.system !== null && typeof row.system !== 'string') report('error', 'system must be a string');
  if (row.tools !== undefined && row.tools !== null) {
    if (typeof row.tools !== 'string' || !isJsonList(row.tools)) report('error', 'tools must be a string holding a JSON list of tools');
  }
  const turns = row.conversations;
  if (!Array.isArray(turns) || turns.length === 0) {
    report('error', `conversations must be a non-empty list of {from, value}, found ${Array.isArray(turns) ? 'an empty list' : describeType(turns)}`);
    return;
  }
  let started = false;
  let prev: string | null = null;
  turns.forEach((turn, i) => {
    const n = i + 1;
    if (!isRecord(turn)) {
      report('error', `turn ${n} must be an object {from, value}, found ${describeType(turn)}`);
      prev = null;
      return;
    }
    const from = turn.from;
    if (typeof from !== 'string' || !FROM.has(from)) {
      report('error', `turn ${n}: ${from === undefined ? 'no from' : `unknown role ${quote(from)}`} (use system, human, gpt, function_call or observation)`);
      prev = null;
      return;
    }
    if (typeof turn.value !== 'string') report('error', `turn ${n}: value must be a string, found ${describeType(turn.value)}`);
    else if (from === 'function_call' && !isFunctionCall(turn.value)) {
      report('error', `turn ${n}: a function_call value must be JSON {"name", "arguments": {...}} or a list of them`);
    } else if (turn.value.trim() === '') report('warning', `turn ${n}: empty ${from} turn`);

    if (from === 'system') {
      if (started) report('error', `turn ${n}: a system turn after the conversation started`);
    } else if (!started) {
      started = true;
      if (from !== 'human') report('error', `turn ${n}: the conversation must start with a human turn, found ${from}`);
    } else if (prev !== null) {
      const wasModel = MODEL_SIDE.has(prev);
      if (MODEL_SIDE.has(from) === wasModel) report('error', `turns ${n - 1} and ${n}: two ${wasModel ? 'model' : 'human'} turns in a row (${prev}, ${from})`);
      else if (from === 'observation' && prev !== 'function_call') report('error', `turn ${n}: an observation without a function_call before it`);
      else if (prev === 'function_call' && from !== 'observation') report('error', `turn ${n}: a function_call must be followed by an observation`);
    }
    prev = from;
  });
  if (!turns.some((t) => isRecord(t) && typeof t.from === 'string' && MODEL_SIDE.has(t.from))) {
    report('error', 'no gpt turn (nothing to train on)');
  }
}

function isJsonList(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

function isFunctionCall(text: string): boolean {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return false;
  }
  const one = (c: unknown) => isRecord(c) && typeof c.name === 'string' && isRecord(c.arguments);
  return Array.isArray(v) ? v.length > 0 && v.every(one) : one(v);
}
