/**
 * dataset/axolotl.yaml: the Axolotl `datasets` / `test_datasets` entries for this export, with the field
 * mappings of its format. Chat rows use `type: chat_template` (Axolotl rejects the old `type: sharegpt`, so
 * ShareGPT rows are mapped through `message_property_mappings` and `roles`); alpaca rows use `type: alpaca`,
 * or a user-defined type with `field_system` when they carry a system prompt. Axolotl has no reader for TRL
 * prompt-completion rows: that export gets no snippet and a note.
 */
import { stringify } from 'yaml';
import { evalSplit, isMessages, type RowLayout, type SplitFile } from './layout.js';

export type AxolotlType = string | Record<string, string>;
export type AxolotlDataset = Record<string, unknown>;

/** The per-format part of a dataset entry (everything but where the data is), or why Axolotl cannot read it. */
export function axolotlMapping(layout: RowLayout): AxolotlDataset | { unsupported: string } {
  if (isMessages(layout)) {
    // Axolotl parses JSON-string tool-call arguments (openai) and takes objects (trl) alike.
    return { type: 'chat_template', field_messages: 'messages', ...(layout.tools ? { field_tools: 'tools' } : {}) };
  }
  if (layout.format === 'sharegpt') {
    const roles: Record<string, string[]> = { system: ['system'], user: ['human'], assistant: ['gpt'] };
    if (layout.toolCalls || layout.tools) {
      roles.assistant = ['gpt', 'function_call'];
      roles.tool = ['observation'];
    }
    return {
      type: 'chat_template',
      field_messages: 'conversations',
      message_property_mappings: { role: 'from', content: 'value' },
      roles,
      ...(layout.tools ? { field_tools: 'tools' } : {}),
    };
  }
  if (layout.format === 'alpaca') {
    if (!layout.system) return { type: 'alpaca' };
    return {
      type: {
        field_system: 'system',
        field_instruction: 'instruction',
        field_input: 'input',
        field_output: 'output',
        system_format: '{system}\n\n',
        format: '### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n',
        no_input_format: '### Instruction:\n{instruction}\n\n### Response:\n',
      },
    };
  }
  return { unsupported: 'Axolotl has no reader for TRL prompt-completion rows (export with --trl-style messages for Axolotl)' };
}

export interface AxolotlConfig {
  /** The tokenizer's own template renders chat rows (set another Axolotl template name to override it). */
  chat_template?: string;
  datasets: AxolotlDataset[];
  test_datasets?: AxolotlDataset[];
}

/** Entries for the local files (path + ds_type json), or for the Hub repo (path + split) when `repo` is given. */
export function axolotlConfig(layout: RowLayout, files: readonly SplitFile[], repo?: string): AxolotlConfig | { unsupported: string } {
  const found = axolotlMapping(layout);
  if (typeof found.unsupported === 'string') return { unsupported: found.unsupported };
  const mapping = found as AxolotlDataset;
  // A local JSON file loads as one split named "train", whichever split the file holds.
  const where = (f: SplitFile): AxolotlDataset => (repo === undefined ? { path: f.file, ds_type: 'json', split: 'train' } : { path: repo, split: f.split });
  const train = files.find((f) => f.split === 'train');
  const config: AxolotlConfig = mapping.type === 'chat_template' ? { chat_template: 'tokenizer_default', datasets: [] } : { datasets: [] };
  if (train) config.datasets.push({ ...where(train), ...mapping });
  const evalFile = evalSplit(files);
  if (evalFile) config.test_datasets = [{ ...where(evalFile), ...mapping }];
  return config;
}

export function renderAxolotlYaml(config: AxolotlConfig, note: string[]): string {
  const header = note.map((line) => `# ${line}`).join('\n');
  return `${header}\n${axolotlYaml(config)}`;
}

/** The config as YAML without anchors (each entry spelled out, as a person would paste it). */
export function axolotlYaml(config: AxolotlConfig): string {
  return stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}
