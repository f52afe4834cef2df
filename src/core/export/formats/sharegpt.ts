/**
 * ShareGPT: `{conversations: [{from, value}]}` with from = system | human | gpt | function_call |
 * observation (the LLaMA-Factory convention). A tool call becomes a `function_call` turn whose value is
 * the JSON `{"name", "arguments"}` (an array of them for parallel calls); the results answering it become one
 * `observation` turn, the results in call order joined by `\n</tool_response>\n<tool_response>\n`, which is
 * what LLaMA-Factory's own converter writes for parallel results (its openai converter) and what its templates
 * wrap into one <tool_response> block per result. One observation turn per result would break the strict
 * human/observation - gpt/function_call alternation its sharegpt converter requires (it skips such rows).
 * The tool list is a JSON string in a top-level `tools` field on every
 * row. Reasoning is a <think> block at the start of each gpt turn it belongs to.
 */
import type { Message, Sample } from '../../types.js';
import { assistantText, type FormatWriter, hasReasoning, parseArguments, type Row, Tally } from './shared.js';
import { exportMessages, type ParallelCalls, reasoningByTurn } from './turns.js';

/** How LLaMA-Factory joins parallel tool results into one observation (data/converter.py, OpenAIDatasetConverter). */
export const TOOL_RESPONSE_SEPARATOR = '\n</tool_response>\n<tool_response>\n';

interface Turn {
  from: 'system' | 'human' | 'gpt' | 'function_call' | 'observation';
  value: string;
}

function conversations(sample: Sample, parallel: ParallelCalls): Turn[] {
  const turns: Turn[] = [];
  const msgs = exportMessages(sample, parallel);
  const reasoning = reasoningByTurn(sample, msgs);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i] as Message;
    if (m.role === 'system') turns.push({ from: 'system', value: m.content });
    else if (m.role === 'user') turns.push({ from: 'human', value: m.content });
    else if (m.role === 'assistant' && m.tool_calls) {
      const calls = m.tool_calls.map((c) => ({ name: c.function.name, arguments: parseArguments(c.function.arguments) }));
      turns.push({ from: 'function_call', value: JSON.stringify(calls.length === 1 ? calls[0] : calls) });
    } else if (m.role === 'assistant') turns.push({ from: 'gpt', value: assistantText(msgs, reasoning, i) });
    else {
      const results = [m.content];
      while (msgs[i + 1]?.role === 'tool') results.push((msgs[++i] as Message).content);
      turns.push({ from: 'observation', value: results.join(TOOL_RESPONSE_SEPARATOR) });
    }
  }
  return turns;
}

export function sharegptWriter(parallel: ParallelCalls = 'keep'): FormatWriter {
  const tally = new Tally({
    reasoning: hasReasoning,
    textWithCall: (s: Sample) => s.messages.some((m) => m.tool_calls && m.content.trim() !== ''),
    reasoningWithCall: (s: Sample) => s.messages.some((m) => m.tool_calls && !!m.reasoning?.trim()),
  });
  return {
    holds: () => true,
    row(sample, ctx) {
      const row: Row = { conversations: conversations(sample, parallel) };
      if (ctx.tools) row.tools = JSON.stringify(sample.tools ?? ctx.tools);
      return row;
    },
    count: (sample) => tally.count(sample),
    notes(ctx) {
      const notes: string[] = [];
      const reasoning = tally.of('reasoning');
      if (reasoning > 0) {
        notes.push(`sharegpt: the reasoning of ${reasoning} sample(s) is a <think>...</think> block at the start of each gpt turn it belongs to`);
      }
      const spoken = tally.of('textWithCall');
      if (spoken > 0) {
        notes.push(`sharegpt: in ${spoken} sample(s) the assistant text sent together with a tool call is not in the files (a function_call turn holds only the call)`);
      }
      const thought = tally.of('reasoningWithCall');
      if (thought > 0) notes.push(`sharegpt: in ${thought} sample(s) the reasoning before a tool call is not in the files (a function_call turn holds only the call)`);
      if (ctx.tools) {
        notes.push(
          'sharegpt: tool calls are function_call turns, the results of each step one observation turn (parallel results joined as LLaMA-Factory joins them), and "tools" is a JSON string (LLaMA-Factory convention)',
        );
      }
      return notes;
    },
  };
}
