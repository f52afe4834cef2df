/**
 * dataset/dataset_info.json: the LLaMA-Factory dataset entries of this export, one per split file
 * (`NAME` for train, `NAME_validation`, `NAME_test`), with the columns and tags of its format
 * (LLaMA-Factory's data/README.md). LLaMA-Factory reads alpaca rows and sharegpt-style conversations; it
 * cannot read OpenAI-style `tool_calls` nor TRL prompt-completion rows, so those exports get no entry and
 * a note that says which export to use instead.
 */
import { isMessages, type RowLayout, type SplitFile } from './layout.js';

export interface LlamaFactoryEntry {
  file_name?: string;
  hf_hub_url?: string;
  split?: string;
  formatting: 'alpaca' | 'sharegpt';
  columns: Record<string, string>;
  tags?: Record<string, string>;
}

export type LlamaFactoryInfo = Record<string, LlamaFactoryEntry>;

/** The columns and tags of an export, or why LLaMA-Factory cannot read it. */
export function llamaFactoryShape(layout: RowLayout): Pick<LlamaFactoryEntry, 'formatting' | 'columns' | 'tags'> | { unsupported: string } {
  if (layout.format === 'alpaca') {
    const columns: Record<string, string> = { prompt: 'instruction', query: 'input', response: 'output' };
    if (layout.system) columns.system = 'system';
    return { formatting: 'alpaca', columns };
  }
  if (layout.format === 'sharegpt') {
    const columns: Record<string, string> = { messages: 'conversations' };
    if (layout.tools) columns.tools = 'tools';
    return {
      formatting: 'sharegpt',
      columns,
      tags: {
        role_tag: 'from',
        content_tag: 'value',
        user_tag: 'human',
        assistant_tag: 'gpt',
        observation_tag: 'observation',
        function_tag: 'function_call',
        system_tag: 'system',
      },
    };
  }
  if (!isMessages(layout)) {
    return { unsupported: 'LLaMA-Factory cannot read TRL prompt-completion rows (export with --format sharegpt, or --trl-style messages)' };
  }
  if (layout.tools) {
    return { unsupported: `LLaMA-Factory reads tool calls only in the sharegpt layout (export with --format sharegpt for LLaMA-Factory)` };
  }
  return {
    formatting: 'sharegpt',
    columns: { messages: 'messages' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
  };
}

function entryName(base: string, split: string): string {
  return split === 'train' ? base : `${base}_${split}`;
}

/** The entries for the local files (`file_name`), or for the Hub repo (`hf_hub_url` + `split`) when `repo` is given. */
export function llamaFactoryInfo(base: string, layout: RowLayout, files: readonly SplitFile[], repo?: string): LlamaFactoryInfo | { unsupported: string } {
  const shape = llamaFactoryShape(layout);
  if ('unsupported' in shape) return shape;
  const info: LlamaFactoryInfo = {};
  for (const f of files) {
    const where = repo === undefined ? { file_name: f.file } : { hf_hub_url: repo, split: f.split };
    info[entryName(base, f.split)] = { ...where, ...shape };
  }
  return info;
}

/** The `dataset:` / `eval_dataset:` names to put in a LLaMA-Factory training config. */
export function llamaFactoryNames(base: string, files: readonly SplitFile[]): { train: string; eval: string | null } {
  const evalFile = files.find((f) => f.split === 'validation') ?? files.find((f) => f.split === 'test');
  return { train: entryName(base, 'train'), eval: evalFile ? entryName(base, evalFile.split) : null };
}
