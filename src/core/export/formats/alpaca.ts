/**
 * Alpaca: `{instruction, input, output}` from the first exchange (first user message and the last text
 * answer before the next user message), plus `system` on every row when any sample has a system prompt.
 * Later turns and tool calls cannot be carried; the notes count them. Reasoning becomes a <think> block
 * in `output` when the first exchange holds the final answer.
 */
import type { Sample } from '../../types.js';
import {
  assistantText,
  countWhere,
  type ExportContext,
  finalAnswerIndex,
  type FormatWriter,
  hasReasoning,
  hasToolCalls,
  isMultiTurn,
  type Row,
} from './shared.js';

interface FirstExchange {
  user: number;
  answer: number;
  /** Index where the exchange ends (the next user message or the end). */
  end: number;
}

function firstExchange(sample: Sample): FirstExchange | null {
  const roles = sample.messages.map((m) => m.role);
  const user = roles.indexOf('user');
  if (user < 0) return null;
  const next = roles.indexOf('user', user + 1);
  const end = next < 0 ? roles.length : next;
  for (let i = end - 1; i > user; i--) {
    const m = sample.messages[i];
    if (m && m.role === 'assistant' && m.content.trim() !== '') return { user, answer: i, end };
  }
  return null;
}

export function alpacaWriter(samples: readonly Sample[], ctx: ExportContext): FormatWriter {
  return {
    row(sample) {
      const ex = firstExchange(sample);
      if (!ex) return null;
      const row: Row = {
        instruction: sample.messages[ex.user]?.content ?? '',
        input: '',
        output: assistantText(sample, ex.answer),
      };
      if (ctx.hasSystem) row.system = sample.messages.find((m) => m.role === 'system')?.content ?? '';
      return row;
    },
    notes() {
      const notes: string[] = [];
      const later = countWhere(samples, isMultiTurn);
      if (later > 0) notes.push(`alpaca: ${later} multi-turn sample(s) keep only their first exchange; the later turns are not in the files`);
      const tools = countWhere(samples, (s) => hasToolCalls(s));
      if (tools > 0) {
        notes.push(`alpaca: the tool calls and tool results of ${tools} sample(s) are not in the files (alpaca has no place for them; use openai, trl or sharegpt)`);
      }
      const lostReasoning = countWhere(samples, (s) => {
        const ex = firstExchange(s);
        return hasReasoning(s) && ex !== null && ex.answer !== finalAnswerIndex(s.messages);
      });
      const keptReasoning = countWhere(samples, hasReasoning) - lostReasoning;
      if (keptReasoning > 0) notes.push(`alpaca: the reasoning of ${keptReasoning} sample(s) is a <think>...</think> block at the start of output`);
      if (lostReasoning > 0) notes.push(`alpaca: the reasoning of ${lostReasoning} sample(s) belongs to a later turn and is not in the files`);
      const skipped = countWhere(samples, (s) => firstExchange(s) === null);
      if (skipped > 0) notes.push(`alpaca: ${skipped} sample(s) whose first exchange has no text answer were left out`);
      return notes;
    },
  };
}
