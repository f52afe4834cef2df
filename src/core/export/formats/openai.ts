/**
 * OpenAI chat fine-tuning: `{messages, tools?}` and nothing else (unknown keys are rejected).
 * Tool-call arguments stay JSON strings. OpenAI has no field for reasoning, so it is left out and said so.
 */
import type { Sample } from '../../types.js';
import { countWhere, type ExportContext, type FormatWriter, hasReasoning, lentToolsNote, type Row } from './shared.js';

export function openaiWriter(samples: readonly Sample[], ctx: ExportContext): FormatWriter {
  return {
    row(sample) {
      const messages = sample.messages.map((m) => {
        const out: Row = { role: m.role };
        if (!(m.tool_calls && m.content === '')) out.content = m.content;
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
    notes() {
      const notes: string[] = [];
      const reasoning = countWhere(samples, hasReasoning);
      if (reasoning > 0) {
        notes.push(
          `openai: the reasoning of ${reasoning} sample(s) is not in the files: OpenAI chat fine-tuning has no reasoning ` +
            'field and rejects unknown keys (export with --format trl or sharegpt to keep it as <think> text)',
        );
      }
      const lent = lentToolsNote('openai', samples, ctx);
      if (lent) notes.push(lent);
      return notes;
    },
  };
}
