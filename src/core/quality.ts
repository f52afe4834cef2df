/**
 * Quality gates a generated conversation must pass before it becomes a sample (SPEC 6.3): role order,
 * non-empty turns and tool-call consistency (`schema`), answer length and leftover placeholders
 * (`filtered`). Duplicates are checked separately with DuplicateIndex over `conversationText`.
 */
import type { DatasetType, Message } from './types.js';

export { DuplicateIndex, normalizeText } from './minhash.js';
export type { DuplicateCheck, DuplicateIndexOptions } from './minhash.js';

export type GateResult = { ok: true } | { ok: false; kind: 'schema' | 'duplicate' | 'filtered'; message: string };

export type ResponseLength = 'short' | 'medium' | 'long';

export interface GateOptions {
  responseLength: ResponseLength;
  datasetType: DatasetType;
  /** Tool names the config defines; when given, a call to any other tool fails. */
  toolNames?: string[];
}

/**
 * Answer length in characters (trimmed) by `response_length`. Generous on purpose: they catch empty,
 * cut-off or runaway answers, not style. The upper bound applies to every assistant answer, the lower
 * bound to the last one (an earlier turn may be a short clarifying question).
 */
export const LENGTH_BOUNDS: Record<ResponseLength, { min: number; max: number }> = {
  short: { min: 1, max: 1_500 },
  medium: { min: 20, max: 6_000 },
  long: { min: 80, max: 20_000 },
};

const OK: GateResult = { ok: true };

export function checkConversation(messages: Message[], opts: GateOptions): GateResult {
  const turns = messages[0]?.role === 'system' ? messages.slice(1) : messages;
  const structure = checkStructure(turns, opts);
  if (structure !== null) return { ok: false, kind: 'schema', message: structure };
  const filtered = checkLengths(turns, opts.responseLength) ?? checkPlaceholders(turns);
  if (filtered !== null) return { ok: false, kind: 'filtered', message: filtered };
  return OK;
}

/** The text duplicates are compared on: every turn but the system prompt, tool calls included. */
export function conversationText(messages: Message[]): string {
  const parts: string[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.content) parts.push(m.content);
    for (const call of m.tool_calls ?? []) parts.push(`${call.function.name} ${call.function.arguments}`);
  }
  return parts.join('\n');
}

const where = (i: number, m: Message) => `message ${i + 1} (${m.role})`;

function checkStructure(turns: Message[], opts: GateOptions): string | null {
  if (turns.length === 0) return 'the conversation has no messages';
  const first = turns[0] as Message;
  if (first.role !== 'user') return `the conversation must start with a user message, not ${first.role}`;
  let expected: 'user' | 'assistant' = 'user';
  for (let i = 0; i < turns.length; i++) {
    const m = turns[i] as Message;
    if (typeof m.content !== 'string') return `${where(i, m)} has no text content`;
    if (m.role === 'system') return `${where(i, m)}: only the first message may be a system message`;
    if (m.role === 'tool') return `${where(i, m)} answers no tool call of the assistant message before it`;
    if (m.role !== expected) {
      const previous = expected === 'user' ? 'an assistant answer' : 'a user message';
      return `${where(i, m)} follows ${previous}: user and assistant turns must alternate`;
    }
    const calls = m.tool_calls ?? [];
    if (m.role === 'user' || calls.length === 0) {
      if (m.content.trim() === '') return `${where(i, m)} is empty`;
      expected = m.role === 'user' ? 'assistant' : 'user';
      continue;
    }
    if (opts.datasetType !== 'agent') return `${where(i, m)} calls tools, but this is a ${opts.datasetType} dataset`;
    const callError = checkToolCalls(i, m, opts.toolNames);
    if (callError !== null) return callError;
    const answered = new Set<string>();
    for (let k = 0; k < calls.length; k++) {
      const t = turns[i + 1 + k];
      if (t === undefined || t.role !== 'tool') {
        return `${where(i, m)} makes ${calls.length} tool call(s) but only ${k} tool result(s) follow`;
      }
      const id = t.tool_call_id;
      if (!calls.some((c) => c.id === id)) return `${where(i + 1 + k, t)} answers unknown tool call id "${id ?? ''}"`;
      if (answered.has(id as string)) return `${where(i + 1 + k, t)} answers tool call "${id}" a second time`;
      answered.add(id as string);
    }
    i += calls.length;
    if (turns[i + 1] === undefined) return `the conversation ends on tool results: an assistant answer must follow`;
    expected = 'assistant';
  }
  const last = turns[turns.length - 1] as Message;
  if (last.role !== 'assistant') return `the conversation must end with an assistant answer, not ${last.role}`;
  return null;
}

function checkToolCalls(i: number, m: Message, toolNames: string[] | undefined): string | null {
  const ids = new Set<string>();
  for (const call of m.tool_calls ?? []) {
    const name = call.function?.name;
    if (typeof call.id !== 'string' || call.id === '') return `${where(i, m)} has a tool call without an id`;
    if (ids.has(call.id)) return `${where(i, m)} uses tool call id "${call.id}" twice`;
    ids.add(call.id);
    if (typeof name !== 'string' || name === '') return `${where(i, m)} has a tool call without a function name`;
    if (toolNames && toolNames.length > 0 && !toolNames.includes(name)) {
      return `${where(i, m)} calls unknown tool "${name}" (tools: ${toolNames.join(', ')})`;
    }
    let args: unknown;
    try {
      args = JSON.parse(call.function.arguments);
    } catch {
      return `${where(i, m)}: the arguments of "${name}" are not valid JSON`;
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return `${where(i, m)}: the arguments of "${name}" must be a JSON object`;
    }
  }
  return null;
}

function checkLengths(turns: Message[], length: ResponseLength): string | null {
  const { min, max } = LENGTH_BOUNDS[length];
  const answers = turns.flatMap((m, i) => (m.role === 'assistant' && !m.tool_calls?.length ? [{ m, i }] : []));
  for (const [n, { m, i }] of answers.entries()) {
    const chars = m.content.trim().length;
    const tooShort = n === answers.length - 1 && chars < min;
    if (chars > max || tooShort) {
      return `${where(i, m)} is ${chars.toLocaleString('en-US')} characters; ${length} answers must be ${min.toLocaleString('en-US')}-${max.toLocaleString('en-US')}`;
    }
  }
  return null;
}

/** Placeholders a template-following model leaves behind. Matched outside code blocks and inline code. */
const PLACEHOLDERS: RegExp[] = [
  // [Your Name], [Insert date here], [Customer Name], [Company's address]; not a markdown link [text](url)
  /(?<![\w\])])\[(?:your|insert|enter|add|customer|company|recipient|client|sender|user)\b[^[\]\n]{0,40}\](?!\()/i,
  /(?<![\w\])])\[(?:name|full name|date|time|address|email|email address|phone|phone number|number|amount|link|url|website|placeholder|product|product name|order number|order id|location|city|signature)\](?![(\[])/i,
  /<\s*(?:insert|your|enter)\s[^<>\n]{1,60}>/i,
  /\blorem ipsum\b/i,
  /\bTODO:/,
  /\bXXX+\b/,
];
/** `{{variable}}`: a leftover, unless the conversation is about a template language where it is the syntax. */
const DOUBLE_BRACES = /\{\{\s*[A-Za-z_][\w.\- ]{0,40}\}\}/;
const TEMPLATE_TALK =
  /\{%|\b(?:jinja2?|templat\w*|handlebars|mustache|liquid|twig|nunjucks|vue|angular|django|ansible|helm|hugo|blade|ember|svelte|interpolat\w*)\b/i;

function checkPlaceholders(turns: Message[]): string | null {
  const prose = turns.map((m) => (m.role === 'user' || m.role === 'assistant' ? withoutCode(m.content) : ''));
  const templates = turns.some((m) => TEMPLATE_TALK.test(m.content));
  for (const [i, text] of prose.entries()) {
    for (const pattern of templates ? PLACEHOLDERS : [...PLACEHOLDERS, DOUBLE_BRACES]) {
      const found = pattern.exec(text);
      if (found) return `leftover placeholder "${found[0].trim()}" in ${where(i, turns[i] as Message)}`;
    }
  }
  return null;
}

/** Prose only: fenced code blocks (an unclosed fence runs to the end) and inline code spans removed. */
export function withoutCode(text: string): string {
  return text
    .replace(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?(?:^[ \t]*\1[^\n]*$|(?![\s\S]))/gm, ' ')
    .replace(/(`+)[^`]*?\1/g, ' ');
}
