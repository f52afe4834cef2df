/**
 * TRL: conversational language modelling `{messages}` or conversational prompt-completion
 * `{prompt, completion}` (the completion is everything after the last user message, tool calls and
 * results included). Tool-call arguments are objects; tools go in a `tools` column; reasoning is a
 * <think> block at the start of the final answer, which chat templates of thinking models understand.
 */
import type { Message, Sample } from '../../types.js';
import {
  assistantText,
  countWhere,
  type ExportContext,
  type FormatWriter,
  parseArguments,
  type Row,
} from './shared.js';

export type TrlStyle = 'messages' | 'prompt-completion';

function trlMessages(sample: Sample): Row[] {
  const names = new Map<string, string>();
  return sample.messages.map((m: Message, i) => {
    const out: Row = { role: m.role, content: m.role === 'assistant' ? assistantText(sample, i) : m.content };
    if (m.tool_calls) {
      out.tool_calls = m.tool_calls.map((c) => {
        names.set(c.id, c.function.name);
        return { id: c.id, type: 'function', function: { name: c.function.name, arguments: parseArguments(c.function.arguments) } };
      });
    }
    if (m.role === 'tool') {
      out.tool_call_id = m.tool_call_id ?? '';
      out.name = names.get(m.tool_call_id ?? '') ?? '';
    }
    return out;
  });
}

export function trlWriter(samples: readonly Sample[], ctx: ExportContext, style: TrlStyle): FormatWriter {
  return {
    row(sample) {
      const messages = trlMessages(sample);
      let row: Row;
      if (style === 'messages') row = { messages };
      else {
        const lastUser = sample.messages.map((m) => m.role).lastIndexOf('user');
        if (lastUser < 0 || lastUser === messages.length - 1) return null;
        row = { prompt: messages.slice(0, lastUser + 1), completion: messages.slice(lastUser + 1) };
      }
      if (ctx.tools) row.tools = sample.tools ?? ctx.tools;
      return row;
    },
    notes() {
      const notes: string[] = [];
      const reasoning = countWhere(samples, (s) => s.reasoning !== undefined);
      if (reasoning > 0) {
        notes.push(`trl: the reasoning of ${reasoning} sample(s) is a <think>...</think> block at the start of the final assistant answer`);
      }
      if (style === 'prompt-completion') {
        const multi = countWhere(samples, (s) => s.messages.filter((m) => m.role === 'user').length > 1);
        if (multi > 0) notes.push(`trl prompt-completion: in ${multi} multi-turn sample(s) the earlier turns are part of the prompt (not trained on)`);
        const skipped = countWhere(samples, (s) => {
          const lastUser = s.messages.map((m) => m.role).lastIndexOf('user');
          return lastUser < 0 || lastUser === s.messages.length - 1;
        });
        if (skipped > 0) notes.push(`trl prompt-completion: ${skipped} sample(s) without an answer after the last user message were left out`);
      }
      const lent = countWhere(samples, (s) => ctx.tools !== null && s.tools === undefined);
      if (lent > 0) notes.push(`trl: ${lent} row(s) without their own tools carry the session's tool list, so every row has "tools"`);
      return notes;
    },
  };
}
