/**
 * Few-shot examples (`examples: {path, k}`): a JSONL file in any format synthloom exports (openai or trl
 * `{messages}`, trl `{prompt, completion}`, alpaca `{instruction, input?, output}`, sharegpt
 * `{conversations: [{from, value}]}`), read into chat messages. The file's shape is detected from its
 * rows (validate's detectFormat); every line must be an example of that shape with at least one user and
 * one assistant turn, or the load fails naming the file and line (exit 2).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExportFormat } from '../config.js';
import { SourceError } from '../sources/errors.js';
import { sourceName } from '../sources/files.js';
import type { Message, Role } from '../types.js';
import { detectFormat } from '../validate/detect.js';

export interface FewShotExample {
  /** Line number in the file, from 1. */
  line: number;
  messages: Message[];
}

const SHAREGPT_ROLES: Record<string, Role> = { system: 'system', human: 'user', user: 'user', gpt: 'assistant', assistant: 'assistant' };
const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant']);
const SHAPES = 'openai/trl {messages}, trl {prompt, completion}, alpaca {instruction, output} or sharegpt {conversations}';

export function loadExamples(spec: { path: string }, baseDir: string): FewShotExample[] {
  const path = resolve(baseDir, spec.path);
  const name = sourceName(path, baseDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceError(name, code === 'ENOENT' ? 'examples file not found' : `cannot read the examples file (${code ?? 'error'})`);
  }
  const rows: { line: number; value: unknown }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    try {
      rows.push({ line: i + 1, value: JSON.parse(line) });
    } catch {
      throw new SourceError(`${name} line ${i + 1}`, 'not valid JSON');
    }
  });
  if (rows.length === 0) throw new SourceError(name, 'the examples file has no examples');
  const format = detectFormat(rows.map((r) => r.value));
  const first = rows[0] as { line: number };
  if (format === null) throw new SourceError(`${name} line ${first.line}`, `not an example in a format synthloom reads (${SHAPES})`);
  return rows.map(({ line, value }) => {
    const messages = toMessages(value, format);
    if (typeof messages === 'string') throw new SourceError(`${name} line ${line}`, `not an example in the file's format (${format}): ${messages}`);
    return { line, messages };
  });
}

/** The example's chat messages, or what is wrong with it. */
function toMessages(value: unknown, format: ExportFormat): Message[] | string {
  if (!isRecord(value)) return 'the line is not a JSON object';
  let messages: Message[] | string;
  if (format === 'sharegpt') messages = sharegpt(value);
  else if (format === 'alpaca') messages = alpaca(value);
  else if ('messages' in value) messages = chat(value.messages, 'messages');
  else if ('prompt' in value || 'completion' in value) messages = promptCompletion(value);
  else return `none of the fields of ${SHAPES}`;
  if (typeof messages === 'string') return messages;
  if (!messages.some((m) => m.role === 'user') || !messages.some((m) => m.role === 'assistant' && m.content.trim())) {
    return 'it needs a user turn and an assistant answer';
  }
  return messages;
}

function chat(list: unknown, field: string): Message[] | string {
  if (!Array.isArray(list) || list.length === 0) return `"${field}" must be a non-empty list of {role, content}`;
  const out: Message[] = [];
  for (const [i, m] of list.entries()) {
    if (!isRecord(m) || typeof m.role !== 'string' || !CHAT_ROLES.has(m.role)) return `${field}[${i}] needs a role of system, user or assistant`;
    if (typeof m.content !== 'string') return `${field}[${i}].content must be a string`;
    out.push({ role: m.role === 'developer' ? 'system' : (m.role as Role), content: m.content });
  }
  return out;
}

function promptCompletion(v: Record<string, unknown>): Message[] | string {
  const prompt = typeof v.prompt === 'string' ? [{ role: 'user' as const, content: v.prompt }] : chat(v.prompt, 'prompt');
  if (typeof prompt === 'string') return prompt;
  const completion = typeof v.completion === 'string' ? [{ role: 'assistant' as const, content: v.completion }] : chat(v.completion, 'completion');
  if (typeof completion === 'string') return completion;
  return [...prompt, ...completion];
}

function alpaca(v: Record<string, unknown>): Message[] | string {
  if (typeof v.instruction !== 'string' || typeof v.output !== 'string') return '"instruction" and "output" must be strings';
  const input = typeof v.input === 'string' && v.input.trim() ? `\n\n${v.input}` : '';
  const out: Message[] = typeof v.system === 'string' && v.system ? [{ role: 'system', content: v.system }] : [];
  out.push({ role: 'user', content: `${v.instruction}${input}` }, { role: 'assistant', content: v.output });
  return out;
}

function sharegpt(v: Record<string, unknown>): Message[] | string {
  if (!Array.isArray(v.conversations) || v.conversations.length === 0) return '"conversations" must be a non-empty list of {from, value}';
  const out: Message[] = [];
  for (const [i, turn] of v.conversations.entries()) {
    if (!isRecord(turn) || typeof turn.from !== 'string' || typeof turn.value !== 'string') return `conversations[${i}] needs string "from" and "value"`;
    const role = SHAREGPT_ROLES[turn.from];
    if (!role) return `conversations[${i}].from "${turn.from}" is not system, human or gpt`;
    out.push({ role, content: turn.value });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
