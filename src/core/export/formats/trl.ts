/**
 * TRL: conversational language modelling `{messages}` or conversational prompt-completion
 * `{prompt, completion}`: the prompt is everything up to the final assistant turn (tool calls and tool results
 * included) and the completion that turn alone, because TRL computes the loss on the whole completion and a
 * tool result there would teach the model to invent tool outputs. Tool-call arguments are objects, `content`
 * is a string on every message ("" on a tool-call turn), tool-call ids are 9 alphanumerics, tools go in a
 * `tools` column, and each assistant turn's reasoning is its `reasoning_content` (the field Qwen3-style
 * templates read).
 */
import type { Message, Sample } from '../../types.js';
import { type FormatWriter, hasReasoning, isMultiTurn, lacksOwnTools, lentToolsNote, parseArguments, type Row, Tally } from './shared.js';
import { exportMessages, hasParallelCalls, type ParallelCalls, reasoningByTurn } from './turns.js';

export type TrlStyle = 'messages' | 'prompt-completion';

function trlMessages(sample: Sample, messages: readonly Message[]): Row[] {
  const names = new Map<string, string>();
  const reasoning = reasoningByTurn(sample, messages);
  return messages.map((m: Message, i) => {
    const out: Row = { role: m.role, content: m.content };
    const r = reasoning[i];
    if (r) out.reasoning_content = r;
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

/** Index of the final assistant turn (the completion), or -1 when the sample does not end with one. */
function completionStart(messages: readonly Message[]): number {
  const last = messages.length - 1;
  const m = messages[last];
  return m && m.role === 'assistant' && !m.tool_calls && last > 0 ? last : -1;
}

export function trlWriter(style: TrlStyle, parallel: ParallelCalls = 'keep'): FormatWriter {
  const tally = new Tally({
    reasoning: hasReasoning,
    multiTurn: isMultiTurn,
    noCompletion: (s: Sample) => completionStart(s.messages) < 0,
    lacksOwnTools,
    parallel: hasParallelCalls,
  });
  return {
    holds: (sample) => style === 'messages' || completionStart(sample.messages) >= 0,
    row(sample, ctx) {
      const messages = exportMessages(sample, parallel);
      const rows = trlMessages(sample, messages);
      let row: Row;
      if (style === 'messages') row = { messages: rows };
      else {
        const start = completionStart(messages);
        row = { prompt: rows.slice(0, start), completion: rows.slice(start) };
      }
      if (ctx.tools) row.tools = sample.tools ?? ctx.tools;
      return row;
    },
    count: (sample) => tally.count(sample),
    notes(ctx) {
      const notes: string[] = [];
      const reasoning = tally.of('reasoning');
      if (reasoning > 0) notes.push(`trl: the reasoning of ${reasoning} sample(s) is the reasoning_content of each assistant turn`);
      if (style === 'prompt-completion') {
        const multi = tally.of('multiTurn');
        if (multi > 0) notes.push(`trl prompt-completion: in ${multi} multi-turn sample(s) the earlier turns are part of the prompt (not trained on)`);
        const skipped = tally.of('noCompletion');
        if (skipped > 0) notes.push(`trl prompt-completion: ${skipped} sample(s) that do not end with an assistant answer were left out`);
      }
      const split = tally.of('parallel');
      if (split > 0 && parallel === 'split') notes.push(`trl: the parallel tool calls of ${split} sample(s) are one call per assistant turn, each followed by its result`);
      const lent = lentToolsNote('trl', tally.of('lacksOwnTools'), ctx);
      if (lent) notes.push(lent);
      return notes;
    },
  };
}
