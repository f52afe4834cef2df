/**
 * The files each trainer loads: the card's front matter (what `load_dataset("OWNER/NAME")` reads), the
 * LLaMA-Factory dataset_info.json entries and the Axolotl snippet, checked against the rows actually written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSession, type ExportOptions } from '../src/core/export/index.js';
import { buildAgentSession, buildChatSession } from './fixtures/export/build-session.js';

let root: string;
let n = 0;
const fresh = (name: string) => join(root, `${name}-${n++}`);
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-trainers-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Row = Record<string, unknown>;
const rows = (path: string): Row[] => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);

function frontMatter(card: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!m) throw new Error('no front matter');
  return parseYaml(m[1] as string) as Record<string, unknown>;
}

interface LfEntry {
  file_name: string;
  formatting: string;
  columns: Record<string, string>;
  tags?: Record<string, string>;
}

function exported(kind: 'chat' | 'agent', opts: ExportOptions, chat: { systemPrompt?: string | null } = {}) {
  const s = kind === 'chat' ? buildChatSession(fresh(kind), chat) : buildAgentSession(fresh(kind));
  const result = exportSession(s.dir, opts);
  const dir = result.dir;
  const lf = join(dir, 'dataset_info.json');
  const ax = join(dir, 'axolotl.yaml');
  return {
    result,
    dir,
    card: readFileSync(result.cardPath, 'utf8'),
    llamaFactory: existsSync(lf) ? (JSON.parse(readFileSync(lf, 'utf8')) as Record<string, LfEntry>) : null,
    axolotl: existsSync(ax) ? (parseYaml(readFileSync(ax, 'utf8')) as { chat_template?: string; datasets: Row[]; test_datasets?: Row[] }) : null,
  };
}

const CASES: [string, 'chat' | 'agent', ExportOptions][] = [
  ['openai chat', 'chat', { format: 'openai' }],
  ['openai agent', 'agent', { format: 'openai' }],
  ['trl agent', 'agent', { format: 'trl' }],
  ['trl prompt-completion', 'chat', { format: 'trl', trlStyle: 'prompt-completion' }],
  ['alpaca chat', 'chat', { format: 'alpaca' }],
  ['sharegpt agent', 'agent', { format: 'sharegpt' }],
];

describe('the dataset card', () => {
  it.each(CASES)('%s: the front matter parses and its configs name split files that exist', (_label, kind, opts) => {
    const { dir, card, result } = exported(kind, opts);
    const meta = frontMatter(card);
    const configs = meta.configs as { config_name: string; data_files: { split: string; path: string }[] }[];
    expect(configs).toHaveLength(1);
    expect(configs[0]!.config_name).toBe('default');
    const named = configs[0]!.data_files;
    expect(named.map((f) => f.split)).toEqual(result.files.map((f) => f.split));
    for (const f of named) expect(existsSync(join(dir, f.path)), f.path).toBe(true);
    // The card states the format and has a recipe per trainer.
    for (const heading of ['## Format', '## Load it', '### TRL `SFTTrainer`', '### Axolotl', '### LLaMA-Factory', '### OpenAI fine-tuning']) {
      expect(card).toContain(heading);
    }
    expect(card).toContain('load_dataset("OWNER/NAME")');
  });

  it.each(CASES)('%s: every YAML and JSON block of the recipes parses, and every Python block compiles', (_label, kind, opts) => {
    const { card } = exported(kind, opts);
    const blocks = [...card.matchAll(/```(yaml|json|python)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, code: m[2]! }));
    expect(blocks.filter((b) => b.lang === 'python').length).toBeGreaterThanOrEqual(2);
    for (const b of blocks) {
      if (b.lang === 'yaml') expect(() => parseYaml(b.code), b.code).not.toThrow();
      if (b.lang === 'json') expect(() => JSON.parse(b.code), b.code).not.toThrow();
    }
    const python = spawnSync('python3', ['-c', 'import ast, sys; [ast.parse(b) for b in sys.stdin.read().split("\\0")]'], {
      input: blocks.filter((b) => b.lang === 'python').map((b) => b.code).join('\0'),
      encoding: 'utf8',
    });
    if (python.error) return; // no python3 on this machine: the YAML and JSON checks above still ran
    expect(python.status, python.stderr).toBe(0);
  });

  it('says how reasoning and tools are carried in the format at hand', () => {
    const sharegpt = exported('agent', { format: 'sharegpt' }).card;
    expect(sharegpt).toMatch(/Reasoning: a `<think>.*final `gpt` turn/);
    expect(sharegpt).toMatch(/Tools: each call is a `function_call` turn/);
    expect(sharegpt).toContain('remove_columns=["conversations", "tools"]'); // a JSON-string tools column would break the chat template
    const openai = exported('agent', { format: 'openai' }).card;
    expect(openai).toMatch(/Reasoning: not carried/);
    expect(openai).toMatch(/arguments are JSON strings/);
    expect(openai).toContain('training_file=upload("train.jsonl")');
    const trl = exported('agent', { format: 'trl' }).card;
    expect(trl).toMatch(/arguments are objects/);
    expect(trl).toContain('eval_dataset=dataset["validation"]');
  });
});

describe('dataset_info.json (LLaMA-Factory)', () => {
  /** Every column the entry names is a field of every row of its file, and every turn's role is one of its tags. */
  function checkAgainstRows(dir: string, entry: LfEntry): void {
    const data = rows(join(dir, entry.file_name));
    for (const row of data) for (const column of Object.values(entry.columns)) expect(row, column).toHaveProperty(column);
    if (entry.formatting !== 'sharegpt') return;
    const tags = entry.tags!;
    const roles = new Set([tags.user_tag, tags.assistant_tag, tags.system_tag, tags.observation_tag, tags.function_tag].filter(Boolean));
    for (const row of data) {
      for (const turn of row[entry.columns.messages!] as Row[]) {
        expect(turn).toHaveProperty(tags.content_tag!);
        expect(roles.has(turn[tags.role_tag!] as string), String(turn[tags.role_tag!])).toBe(true);
      }
    }
  }

  it('sharegpt with tools: conversations, tools and the from/value tags of every turn kind, one entry per split', () => {
    const { dir, llamaFactory } = exported('agent', { format: 'sharegpt' });
    expect(Object.keys(llamaFactory!)).toEqual(['agent_support', 'agent_support_validation', 'agent_support_test']);
    const entry = llamaFactory!.agent_support!;
    expect(entry).toEqual({
      file_name: 'train.jsonl',
      formatting: 'sharegpt',
      columns: { messages: 'conversations', tools: 'tools' },
      tags: {
        role_tag: 'from',
        content_tag: 'value',
        user_tag: 'human',
        assistant_tag: 'gpt',
        observation_tag: 'observation',
        function_tag: 'function_call',
        system_tag: 'system',
      },
    });
    for (const e of Object.values(llamaFactory!)) checkAgainstRows(dir, e);
    expect(typeof rows(join(dir, 'train.jsonl'))[0]!.tools).toBe('string'); // LLaMA-Factory wants the tools as a JSON string
  });

  it('sharegpt without tools names no tools column', () => {
    const { dir, llamaFactory } = exported('chat', { format: 'sharegpt' });
    expect(llamaFactory!.returns_support!.columns).toEqual({ messages: 'conversations' });
    checkAgainstRows(dir, llamaFactory!.returns_support!);
  });

  it('alpaca: instruction/input/output, and system when the rows carry one', () => {
    const withSystem = exported('chat', { format: 'alpaca' });
    const entry = withSystem.llamaFactory!.returns_support!;
    expect(entry.formatting).toBe('alpaca');
    expect(entry.columns).toEqual({ prompt: 'instruction', query: 'input', response: 'output', system: 'system' });
    checkAgainstRows(withSystem.dir, entry);
    const without = exported('chat', { format: 'alpaca' }, { systemPrompt: null });
    expect(without.llamaFactory!.returns_support!.columns).toEqual({ prompt: 'instruction', query: 'input', response: 'output' });
    checkAgainstRows(without.dir, without.llamaFactory!.returns_support!);
  });

  it('openai rows without tools map as role/content messages; with tool calls there is no entry and a note says to use sharegpt', () => {
    const chat = exported('chat', { format: 'openai' });
    const entry = chat.llamaFactory!.returns_support!;
    expect(entry.columns).toEqual({ messages: 'messages' });
    expect(entry.tags).toEqual({ role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' });
    checkAgainstRows(chat.dir, entry);
    const agent = exported('agent', { format: 'openai' });
    expect(agent.llamaFactory).toBeNull();
    expect(agent.result.notes.join('\n')).toMatch(/llama-factory: no dataset_info.json: .*--format sharegpt/);
  });

  it('an export that cannot have the entry removes the one an earlier export wrote', () => {
    const s = buildAgentSession(fresh('stale'));
    exportSession(s.dir, { format: 'sharegpt' });
    expect(existsSync(join(s.dir, 'dataset', 'dataset_info.json'))).toBe(true);
    const again = exportSession(s.dir, { format: 'openai' });
    expect(existsSync(join(s.dir, 'dataset', 'dataset_info.json'))).toBe(false);
    expect(again.trainerPaths.map((p) => p.split('/').pop())).toEqual(['axolotl.yaml']);
  });
});

describe('axolotl.yaml', () => {
  it('sharegpt: chat_template over conversations with from/value mapped and every turn kind given a role', () => {
    const { dir, axolotl } = exported('agent', { format: 'sharegpt' });
    expect(axolotl!.chat_template).toBe('tokenizer_default');
    const entry = axolotl!.datasets[0]!;
    expect(entry).toMatchObject({
      path: 'train.jsonl',
      ds_type: 'json',
      type: 'chat_template',
      field_messages: 'conversations',
      message_property_mappings: { role: 'from', content: 'value' },
      field_tools: 'tools',
    });
    const mapped = new Set(Object.values(entry.roles as Record<string, string[]>).flat());
    for (const row of rows(join(dir, 'train.jsonl'))) for (const turn of row.conversations as Row[]) expect(mapped.has(turn.from as string), String(turn.from)).toBe(true);
    expect(axolotl!.test_datasets![0]).toMatchObject({ path: 'validation.jsonl', field_messages: 'conversations' });
  });

  it('openai and trl: chat_template over messages, with field_tools when the rows have tools', () => {
    expect(exported('chat', { format: 'openai' }).axolotl!.datasets[0]).toEqual({ path: 'train.jsonl', ds_type: 'json', split: 'train', type: 'chat_template', field_messages: 'messages' });
    const trl = exported('agent', { format: 'trl' });
    expect(trl.axolotl!.datasets[0]).toMatchObject({ type: 'chat_template', field_messages: 'messages', field_tools: 'tools' });
    expect(rows(join(trl.dir, 'train.jsonl'))[0]).toHaveProperty('messages');
  });

  it('alpaca: type alpaca, or a user-defined type that maps field_system when a system prompt is carried', () => {
    expect(exported('chat', { format: 'alpaca' }, { systemPrompt: null }).axolotl!.datasets[0]).toMatchObject({ type: 'alpaca' });
    const withSystem = exported('chat', { format: 'alpaca' }).axolotl!.datasets[0]!;
    expect(withSystem.type).toMatchObject({ field_system: 'system', field_instruction: 'instruction', field_input: 'input', field_output: 'output' });
  });

  it('trl prompt-completion gets no snippet and a note, since Axolotl has no reader for it', () => {
    const { axolotl, result } = exported('chat', { format: 'trl', trlStyle: 'prompt-completion' });
    expect(axolotl).toBeNull();
    expect(result.notes.join('\n')).toMatch(/axolotl: no axolotl.yaml: .*--trl-style messages/);
  });
});
