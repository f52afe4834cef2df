/**
 * Alpaca: `{instruction, input, output}` from the first exchange (first user message and the last text
 * answer before the next user message), plus `system` on every row when any sample has a system prompt.
 * Later turns and tool calls cannot be carried; the notes count them. Reasoning becomes a <think> block
 * in `output` when the first exchange holds the final answer.
 */
import { groundedAlpacaFields } from '../../grounding/prompt.js';
import type { Sample } from '../../types.js';
import { assistantText, type FormatWriter, hasReasoning, hasToolCalls, isMultiTurn, type Row, Tally } from './shared.js';
import { reasoningByTurn } from './turns.js';

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

/** Some of the sample's reasoning belongs to another turn than the first exchange's answer, so alpaca cannot carry it. */
function reasoningAfterFirstExchange(s: Sample): boolean {
  const ex = firstExchange(s);
  return ex !== null && reasoningByTurn(s).some((r, i) => r !== undefined && i !== ex.answer);
}

function reasoningInOutput(s: Sample): boolean {
  const ex = firstExchange(s);
  return ex !== null && reasoningByTurn(s)[ex.answer] !== undefined;
}

export function alpacaWriter(): FormatWriter {
  const tally = new Tally({
    multiTurn: isMultiTurn,
    toolCalls: hasToolCalls,
    reasoning: hasReasoning,
    lostReasoning: reasoningAfterFirstExchange,
    keptReasoning: reasoningInOutput,
    noFirstExchange: (s: Sample) => firstExchange(s) === null,
  });
  return {
    holds: (sample) => firstExchange(sample) !== null,
    row(sample, ctx) {
      const ex = firstExchange(sample) as FirstExchange;
      const user = sample.messages[ex.user]?.content ?? '';
      // A grounded sample in the `user` context layout: "Context: ... Question: ..." goes into input.
      const grounded = sample.source ? groundedAlpacaFields(user) : null;
      const row: Row = {
        instruction: grounded?.instruction ?? user,
        input: grounded?.input ?? '',
        output: assistantText(sample.messages, reasoningByTurn(sample), ex.answer),
      };
      if (ctx.hasSystem) row.system = sample.messages.find((m) => m.role === 'system')?.content ?? '';
      return row;
    },
    count: (sample) => tally.count(sample),
    notes() {
      const notes: string[] = [];
      const later = tally.of('multiTurn');
      if (later > 0) notes.push(`alpaca: ${later} multi-turn sample(s) keep only their first exchange; the later turns are not in the files`);
      const tools = tally.of('toolCalls');
      if (tools > 0) {
        notes.push(`alpaca: the tool calls and tool results of ${tools} sample(s) are not in the files (alpaca has no place for them; use openai, trl or sharegpt)`);
      }
      const lostReasoning = tally.of('lostReasoning');
      const keptReasoning = tally.of('keptReasoning');
      if (keptReasoning > 0) notes.push(`alpaca: the reasoning of ${keptReasoning} sample(s) is a <think>...</think> block at the start of output`);
      if (lostReasoning > 0) notes.push(`alpaca: the reasoning of ${lostReasoning} sample(s) belongs to a later turn and is not in the files`);
      const skipped = tally.of('noFirstExchange');
      if (skipped > 0) notes.push(`alpaca: ${skipped} sample(s) whose first exchange has no text answer were left out`);
      return notes;
    },
  };
}
