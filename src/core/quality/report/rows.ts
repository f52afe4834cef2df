/**
 * One dataset row, whatever its format, as the quality report sees it: the conversation in canonical roles,
 * the instruction (first user turn; for alpaca instruction and input), and the category and judge scores
 * a session's samples carry. The shape is told row by row from its keys, so a file mixing formats works:
 * `messages` (openai, trl conversational), `prompt`/`completion` (trl prompt-completion, text or messages),
 * `instruction`/`output` (alpaca), `conversations` (sharegpt, from human/gpt/system/function_call/observation).
 */
import { isRecord } from '../../validate/problems.js';
import type { Message, Role } from '../../types.js';

export type RowShape = 'messages' | 'prompt_completion' | 'alpaca' | 'sharegpt';

export interface ReportRow {
  shape: RowShape;
  messages: Message[];
  instruction: string;
  category: string | null;
  /** The judge's weighted mean (1-5), when the row carries `scores`. */
  score: number | null;
}

const SHAREGPT_ROLES: Record<string, Role> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  model: 'assistant',
  system: 'system',
  function_call: 'assistant',
  observation: 'tool',
  tool: 'tool',
  function: 'tool',
};
const ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : typeof p === 'string' ? p : '')).join('');
  return '';
}

function toMessages(list: unknown): Message[] | null {
  if (!Array.isArray(list)) return null;
  const out: Message[] = [];
  for (const m of list) {
    if (!isRecord(m) || typeof m.role !== 'string' || !ROLES.has(m.role)) return null;
    const message: Message = { role: m.role === 'developer' ? 'system' : (m.role as Role), content: text(m.content) };
    if (Array.isArray(m.tool_calls)) {
      message.tool_calls = m.tool_calls.filter(isRecord).map((c, i) => {
        const fn = isRecord(c.function) ? c.function : c;
        const args = fn.arguments;
        return {
          id: typeof c.id === 'string' ? c.id : `call_${i}`,
          type: 'function' as const,
          function: { name: typeof fn.name === 'string' ? fn.name : '', arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
        };
      });
    }
    out.push(message);
  }
  return out;
}

function scoreOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (isRecord(v) && typeof v.mean === 'number' && Number.isFinite(v.mean)) return v.mean;
  return null;
}

function firstUser(messages: readonly Message[]): string {
  return messages.find((m) => m.role === 'user')?.content ?? '';
}

/** The row, or null when no known shape fits (the report counts it as unreadable). */
export function readRow(value: unknown): ReportRow | null {
  if (!isRecord(value)) return null;
  const category = typeof value.category === 'string' ? value.category : null;
  const score = scoreOf(value.scores);
  let shape: RowShape;
  let messages: Message[] | null = null;
  let instruction: string | null = null;
  if ('messages' in value) {
    shape = 'messages';
    messages = toMessages(value.messages);
  } else if ('conversations' in value) {
    shape = 'sharegpt';
    if (Array.isArray(value.conversations)) {
      messages = [];
      for (const turn of value.conversations) {
        const role = isRecord(turn) && typeof turn.from === 'string' ? SHAREGPT_ROLES[turn.from] : undefined;
        if (!role || !isRecord(turn)) return null;
        messages.push({ role, content: text(turn.value) });
      }
      if (typeof value.system === 'string' && value.system) messages.unshift({ role: 'system', content: value.system });
    }
  } else if ('instruction' in value || 'output' in value) {
    shape = 'alpaca';
    const ask = [text(value.instruction), text(value.input)].filter((s) => s.length > 0).join('\n');
    messages = [
      ...(typeof value.system === 'string' && value.system ? [{ role: 'system' as const, content: value.system }] : []),
      { role: 'user', content: ask },
      { role: 'assistant', content: text(value.output) },
    ];
    instruction = ask;
  } else if ('prompt' in value || 'completion' in value) {
    shape = 'prompt_completion';
    if (Array.isArray(value.prompt) || Array.isArray(value.completion)) {
      const prompt = toMessages(value.prompt ?? []);
      const completion = toMessages(value.completion ?? []);
      messages = prompt && completion ? [...prompt, ...completion] : null;
    } else {
      messages = [
        { role: 'user', content: text(value.prompt) },
        { role: 'assistant', content: text(value.completion) },
      ];
    }
  } else return null;
  if (!messages) return null;
  return { shape, messages, instruction: instruction ?? firstUser(messages), category, score };
}
