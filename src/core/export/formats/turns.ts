/**
 * Message rewrites every export format shares, so that real chat templates accept the rows:
 * - tool-call ids become 9 alphanumeric characters, unique in the row, rewritten consistently on the tool
 *   messages that answer them (Mistral's templates raise on anything else);
 * - reasoning per assistant turn (`reasoning` on the message, or the sample's legacy `reasoning` on its final
 *   answer);
 * - optionally, parallel calls split into one call per assistant turn, each followed by its result (Llama 3.1
 *   takes one tool call per turn).
 */
import { hash32 } from '../../random.js';
import type { Message, Sample, ToolCall } from '../../types.js';

export type ParallelCalls = 'keep' | 'split';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const VALID_ID = /^[a-zA-Z0-9]{9}$/;

/** A 9-character alphanumeric id from a seed string (deterministic: exporting twice gives the same ids). */
export function id9(seed: string): string {
  let a = hash32(seed);
  let b = hash32(`${seed}#`);
  let out = '';
  for (let i = 0; i < 9; i++) {
    const src = i < 5 ? a : b;
    out += ALPHABET[(src >>> 0) % 62];
    if (i < 5) a = (Math.floor(a / 62) ^ hash32(`${seed}${i}`)) >>> 0;
    else b = (Math.floor(b / 62) ^ hash32(`${seed}${i}`)) >>> 0;
  }
  return out;
}

/**
 * The sample's messages with tool-call ids normalized. An id already of 9 alphanumerics and not used before
 * in the row is kept; any other gets a derived one. A tool message takes the id of the latest call with its
 * original id (so a model that reused `call_1` in two steps still gets each result paired with its call).
 */
export function normalizeToolIds(sample: Sample): Message[] {
  const used = new Set<string>();
  const current = new Map<string, string>();
  const fresh = (orig: string, n: number): string => {
    if (VALID_ID.test(orig) && !used.has(orig)) {
      used.add(orig);
      return orig;
    }
    let id = id9(`${sample.id}|${orig}|${n}`);
    for (let k = 1; used.has(id); k++) id = id9(`${sample.id}|${orig}|${n}|${k}`);
    used.add(id);
    return id;
  };
  let n = 0;
  return sample.messages.map((m) => {
    if (m.tool_calls) {
      const calls: ToolCall[] = m.tool_calls.map((c) => {
        const id = fresh(c.id, n++);
        current.set(c.id, id);
        return { ...c, id, function: { ...c.function } };
      });
      return { ...m, tool_calls: calls };
    }
    if (m.role === 'tool') {
      const orig = m.tool_call_id ?? '';
      let id = current.get(orig);
      if (id === undefined) {
        id = fresh(orig, n++);
        current.set(orig, id);
      }
      return { ...m, tool_call_id: id };
    }
    return { ...m };
  });
}

/** Index of the assistant message that answers last (no tool calls), or -1. */
function finalAnswer(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Message;
    if (m.role === 'assistant' && !m.tool_calls) return i;
  }
  return -1;
}

/** Reasoning per message index: each assistant turn's own, and the sample-level reasoning on the final answer. */
export function reasoningByTurn(sample: Sample, messages: readonly Message[] = sample.messages): Array<string | undefined> {
  const last = finalAnswer(messages);
  return messages.map((m, i) => {
    if (m.role !== 'assistant') return undefined;
    const own = m.reasoning?.trim();
    if (own) return own;
    return i === last && sample.reasoning?.trim() ? sample.reasoning.trim() : undefined;
  });
}

export function hasAnyReasoning(sample: Sample): boolean {
  return reasoningByTurn(sample).some((r) => r !== undefined);
}

/**
 * One tool call per assistant turn: an assistant message with N calls and the N results after it become N
 * (call, result) pairs in call order. Assistant text sent with the calls stays on the first of them.
 */
export function splitParallelCalls(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Message;
    if (!m.tool_calls || m.tool_calls.length < 2) {
      out.push(m);
      continue;
    }
    const results: Message[] = [];
    while (messages[i + 1]?.role === 'tool') results.push(messages[++i] as Message);
    m.tool_calls.forEach((call, k) => {
      const { reasoning, ...rest } = m;
      out.push({ ...rest, content: k === 0 ? m.content : '', tool_calls: [call], ...(k === 0 && reasoning ? { reasoning } : {}) });
      const result = results.find((r) => r.tool_call_id === call.id);
      if (result) out.push(result);
    });
    for (const r of results) if (!m.tool_calls.some((c) => c.id === r.tool_call_id)) out.push(r);
  }
  return out;
}

/** What every format starts from: normalized ids, and parallel calls split when asked. */
export function exportMessages(sample: Sample, parallel: ParallelCalls = 'keep'): Message[] {
  const normalized = normalizeToolIds(sample);
  return parallel === 'split' ? splitParallelCalls(normalized) : normalized;
}

export function hasParallelCalls(sample: Sample): boolean {
  return sample.messages.some((m) => (m.tool_calls?.length ?? 0) > 1);
}
