/** The dataset card's "Format" section: the fields of a row, and how reasoning and tools are carried, per export format. */
import { isMessages, type RowLayout } from './layout.js';

const ROLES = 'role `system`, `user`, `assistant` or `tool`';

function fields(layout: RowLayout): string[] {
  const tools = layout.tools ? ['- `tools`: the function definitions the assistant may call (`[{type: "function", function: {name, description, parameters}}]`), on every row.'] : [];
  switch (layout.format) {
    case 'openai':
      return [
        `- \`messages\`: the conversation, a list of \`{role, content}\` (${ROLES}); an assistant turn that calls tools has \`tool_calls: [{id, type: "function", function: {name, arguments}}]\` with \`arguments\` a JSON **string**, and each \`tool\` message has \`tool_call_id\`.`,
        ...tools,
      ];
    case 'trl': {
      const messages = `a list of \`{role, content}\` (${ROLES}); tool calls are \`tool_calls: [{id, type: "function", function: {name, arguments}}]\` with \`arguments\` an **object**, and each \`tool\` message has \`tool_call_id\` and \`name\``;
      const rows =
        layout.trlStyle === 'messages'
          ? [`- \`messages\`: the conversation, ${messages}.`]
          : [
              `- \`prompt\`: the conversation up to and including the last user message, ${messages}.`,
              '- `completion`: everything after it (tool calls, tool results and the final answer): the part TRL trains on.',
            ];
      return [...rows, ...tools];
    }
    case 'alpaca':
      return [
        '- `instruction`: the first user message.',
        '- `input`: always empty (the instruction holds the whole request).',
        '- `output`: the answer to it.',
        ...(layout.system ? ['- `system`: the system prompt (on every row; empty where a sample had none).'] : []),
      ];
    case 'sharegpt':
      return [
        '- `conversations`: a list of `{from, value}` turns with `from` one of `system`, `human`, `gpt`, `function_call`, `observation` (the LLaMA-Factory convention).',
        ...(layout.tools ? ['- `tools`: the function definitions as a JSON **string**, on every row.'] : []),
      ];
  }
}

function reasoning(layout: RowLayout): string {
  if (layout.format === 'openai') return 'Reasoning: not carried (OpenAI chat fine-tuning has no field for it and rejects unknown keys).';
  if (!layout.reasoning) return 'Reasoning: none in this dataset.';
  const where = layout.format === 'alpaca' ? 'at the start of `output`' : layout.format === 'sharegpt' ? 'at the start of the final `gpt` turn' : 'at the start of the final assistant answer';
  return `Reasoning: a \`<think>\\n…\\n</think>\\n\\n\` block ${where}, the text form the chat templates of thinking models (Qwen3, DeepSeek-R1) read.`;
}

function tools(layout: RowLayout): string {
  if (!layout.tools && !layout.toolCalls) return 'Tools: none in this dataset.';
  if (layout.format === 'alpaca') return 'Tools: not carried (alpaca keeps only the first exchange; tool calls and results are dropped).';
  if (layout.format === 'sharegpt') {
    return 'Tools: each call is a `function_call` turn whose value is the JSON `{"name", "arguments"}` (a JSON array for parallel calls); the results that answer it are one `observation` turn.';
  }
  if (isMessages(layout) || layout.format === 'trl') {
    const args = layout.format === 'openai' ? 'JSON strings, as OpenAI requires' : 'objects, as chat templates (Qwen, Llama, Mistral) expect';
    return `Tools: assistant \`tool_calls\` and \`tool\` result messages in OpenAI's layout; arguments are ${args}.`;
  }
  return '';
}

export function formatSection(layout: RowLayout, formatLabel: string): string[] {
  return ['## Format', '', `\`${layout.format}\`: ${formatLabel}. Each line of a split file is one JSON object with:`, '', ...fields(layout), `- ${reasoning(layout)}`, `- ${tools(layout)}`, ''];
}
