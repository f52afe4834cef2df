/**
 * ShareGPT: `{conversations: [{from, value}]}` with from = system | human | gpt | function_call |
 * observation (the LLaMA-Factory convention). A tool call becomes a `function_call` turn whose value is
 * the JSON `{"name", "arguments"}` (an array of them for parallel calls); the tool results that answer it
 * become one `observation` turn (the result text, or a JSON array of texts for parallel calls). The tool
 * list is a JSON string in a top-level `tools` field on every row. Reasoning is a <think> block at the
 * start of the final gpt turn.
 */
import type { Message, Sample } from '../../types.js';
import { assistantText, type FormatWriter, hasReasoning, parseArguments, type Row, Tally } from './shared.js';

interface Turn {
  from: 'system' | 'human' | 'gpt' | 'function_call' | 'observation';
  value: string;
}

function conversations(sample: Sample): Turn[] {
  const turns: Turn[] = [];
  const msgs = sample.messages;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i] as Message;
    if (m.role === 'system') turns.push({ from: 'system', value: m.content });
    else if (m.role === 'user') turns.push({ from: 'human', value: m.content });
    else if (m.role === 'assistant' && m.tool_calls) {
      const calls = m.tool_calls.map((c) => ({ name: c.function.name, arguments: parseArguments(c.function.arguments) }));
      turns.push({ from: 'function_call', value: JSON.stringify(calls.length === 1 ? calls[0] : calls) });
    } else if (m.role === 'assistant') turns.push({ from: 'gpt', value: assistantText(sample, i) });
    else {
      const results = [m.content];
      while (msgs[i + 1]?.role === 'tool') results.push((msgs[++i] as Message).content);
      turns.push({ from: 'observation', value: results.length === 1 ? (results[0] as string) : JSON.stringify(results) });
    }
  }
  return turns;
}

export function sharegptWriter(): FormatWriter {
  const tally = new Tally({
    reasoning: hasReasoning,
    textWithCall: (s: Sample) => s.messages.some((m) => m.tool_calls && m.content.trim() !== ''),
  });
  return {
    holds: () => true,
    row(sample, ctx) {
      const row: Row = { conversations: conversations(sample) };
      if (ctx.tools) row.tools = JSON.stringify(sample.tools ?? ctx.tools);
      return row;
    },
    count: (sample) => tally.count(sample),
    notes(ctx) {
      const notes: string[] = [];
      const reasoning = tally.of('reasoning');
      if (reasoning > 0) {
        notes.push(`sharegpt: the reasoning of ${reasoning} sample(s) is a <think>...</think> block at the start of the final gpt turn`);
      }
      const spoken = tally.of('textWithCall');
      if (spoken > 0) {
        notes.push(`sharegpt: in ${spoken} sample(s) the assistant text sent together with a tool call is not in the files (a function_call turn holds only the call)`);
      }
      if (ctx.tools) {
        notes.push('sharegpt: tool calls are function_call turns, tool results observation turns, and "tools" is a JSON string (LLaMA-Factory convention)');
      }
      return notes;
    },
  };
}
