/**
 * OpenAI chat fine-tuning: `{messages, tools?}` and nothing else (unknown keys are rejected).
 * Tool-call arguments stay JSON strings (OpenAI requires them so); `content` is a string on every message
 * ("" on a tool-call turn); tool-call ids are 9 alphanumerics like every format's. OpenAI has no field for
 * reasoning, so it is left out and said so.
 */
import { type FormatWriter, hasReasoning, lacksOwnTools, lentToolsNote, type Row, Tally } from './shared.js';
import { exportMessages, type ParallelCalls } from './turns.js';

export function openaiWriter(parallel: ParallelCalls = 'keep'): FormatWriter {
  const tally = new Tally({ reasoning: hasReasoning, lacksOwnTools });
  return {
    holds: () => true,
    row(sample, ctx) {
      const messages = exportMessages(sample, parallel).map((m) => {
        const out: Row = { role: m.role, content: m.content };
        if (m.tool_calls) {
          out.tool_calls = m.tool_calls.map((c) => ({
            id: c.id,
            type: 'function',
            function: { name: c.function.name, arguments: c.function.arguments },
          }));
        }
        if (m.role === 'tool') out.tool_call_id = m.tool_call_id ?? '';
        return out;
      });
      const row: Row = { messages };
      if (ctx.tools) row.tools = sample.tools ?? ctx.tools;
      return row;
    },
    count: (sample) => tally.count(sample),
    notes(ctx) {
      const notes: string[] = [];
      const reasoning = tally.of('reasoning');
      if (reasoning > 0) {
        notes.push(
          `openai: the reasoning of ${reasoning} sample(s) is not in the files: OpenAI chat fine-tuning has no reasoning ` +
            'field and rejects unknown keys (export with --format trl or sharegpt to keep it as <think> text)',
        );
      }
      const lent = lentToolsNote('openai', tally.of('lacksOwnTools'), ctx);
      if (lent) notes.push(lent);
      return notes;
    },
  };
}
