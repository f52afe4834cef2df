/**
 * TRL: conversational language modelling `{messages}` or conversational prompt-completion
 * `{prompt, completion}` (the completion is everything after the last user message, tool calls and
 * results included). Tool-call arguments are objects; tools go in a `tools` column; reasoning is a
 * <think> block at the start of the final answer, which chat templates of thinking models understand.
 */
import type { Message, Sample } from '../../types.js';
import {
  assistantText,
  type FormatWriter,
  hasReasoning,
  isMultiTurn,
  lacksOwnTools,
  lentToolsNote,
  parseArguments,
  type Row,
  Tally,
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

/** Where the completion starts (after the last user message), or -1 when nothing after it is left to train on. */
function completionStart(messages: readonly Message[]): number {
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  return lastUser < 0 || lastUser === messages.length - 1 ? -1 : lastUser + 1;
}

export function trlWriter(style: TrlStyle): FormatWriter {
  const tally = new Tally({
    reasoning: hasReasoning,
    multiTurn: isMultiTurn,
    noCompletion: (s: Sample) => completionStart(s.messages) < 0,
    lacksOwnTools,
  });
  return {
    holds: (sample) => style === 'messages' || completionStart(sample.messages) >= 0,
    row(sample, ctx) {
      const messages = trlMessages(sample);
      let row: Row;
      if (style === 'messages') row = { messages };
      else {
        const start = completionStart(sample.messages);
        row = { prompt: messages.slice(0, start), completion: messages.slice(start) };
      }
      if (ctx.tools) row.tools = sample.tools ?? ctx.tools;
      return row;
    },
    count: (sample) => tally.count(sample),
    notes(ctx) {
      const notes: string[] = [];
      const reasoning = tally.of('reasoning');
      if (reasoning > 0) {
        notes.push(`trl: the reasoning of ${reasoning} sample(s) is a <think>...</think> block at the start of the final assistant answer`);
      }
      if (style === 'prompt-completion') {
        const multi = tally.of('multiTurn');
        if (multi > 0) notes.push(`trl prompt-completion: in ${multi} multi-turn sample(s) the earlier turns are part of the prompt (not trained on)`);
        const skipped = tally.of('noCompletion');
        if (skipped > 0) notes.push(`trl prompt-completion: ${skipped} sample(s) without an answer after the last user message were left out`);
      }
      const lent = lentToolsNote('trl', tally.of('lacksOwnTools'), ctx);
      if (lent) notes.push(lent);
      return notes;
    },
  };
}
