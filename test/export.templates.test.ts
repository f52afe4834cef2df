/**
 * Every export format of basic, reasoning, agent single-turn and agent multi-turn samples rendered through
 * the real chat templates in ../shared/data/chat-templates (with @huggingface/jinja, as transformers renders
 * them: trim_blocks, lstrip_blocks, tojson, raise_exception): no template raises, and every assistant text,
 * tool call (name with its arguments) and tool result appears in the rendered text exactly once. Rows are read
 * the way trainers read them: trl rows as they are; openai rows with arguments parsed (the format keeps them
 * strings, as OpenAI requires); sharegpt rows converted like LLaMA-Factory; alpaca rows as one exchange.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from '@huggingface/jinja';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportContextBuilder, formatWriter, type ParallelCalls, type Row } from '../src/core/export/formats/index.js';
import { TOOL_RESPONSE_SEPARATOR } from '../src/core/export/formats/sharegpt.js';
import type { Message, Sample } from '../src/core/types.js';
import { validateFile } from '../src/core/validate/index.js';
import { CANONICAL, type Kind } from './fixtures/kinds/canonical.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
// A fresh clone sits beside shared/ (../shared from the repository root); a git worktree one level deeper
// (worktrees/NAME) finds it one directory further up.
const TEMPLATES_DIR =
  [resolve(repoRoot, '..', 'shared', 'data', 'chat-templates'), resolve(repoRoot, '..', '..', 'shared', 'data', 'chat-templates')].find((d) => existsSync(d)) ??
  resolve(repoRoot, '..', 'shared', 'data', 'chat-templates');
const templates = readdirSync(TEMPLATES_DIR)
  .filter((f) => f.endsWith('.jinja'))
  .map((f) => ({ name: f.replace(/\.jinja$/, ''), template: new Template(readFileSync(join(TEMPLATES_DIR, f), 'utf8')) }));

type Msg = Record<string, unknown> & { role: string; content: string };
const FORMATS = ['openai', 'trl', 'trl-pc', 'sharegpt', 'alpaca'] as const;
type Format = (typeof FORMATS)[number];

const tmp = mkdtempSync(join(tmpdir(), 'synthloom-templates-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function rowsOf(samples: Sample[], format: Format, parallel: ParallelCalls): Row[] {
  const writer = formatWriter(format === 'trl-pc' ? 'trl' : format, format === 'trl-pc' ? 'prompt-completion' : 'messages', parallel);
  const builder = new ExportContextBuilder();
  for (const s of samples) builder.add(s);
  const ctx = builder.context([]);
  return samples.filter((s) => writer.holds(s)).map((s) => writer.row(s, ctx));
}

/** A row as the trainer hands it to the chat template: {messages, tools}. */
function toChat(row: Row, format: Format): { messages: Msg[]; tools?: unknown[] } {
  if (format === 'alpaca') {
    const messages: Msg[] = [];
    if (typeof row.system === 'string' && row.system) messages.push({ role: 'system', content: row.system });
    messages.push({ role: 'user', content: String(row.instruction) }, { role: 'assistant', content: String(row.output) });
    return { messages };
  }
  if (format === 'sharegpt') return fromSharegpt(row);
  const messages = (format === 'trl-pc' ? [...(row.prompt as Msg[]), ...(row.completion as Msg[])] : (row.messages as Msg[])).map((m) => structuredClone(m));
  if (format === 'openai') {
    for (const m of messages) for (const c of (m.tool_calls ?? []) as Array<{ function: { arguments: unknown } }>) c.function.arguments = JSON.parse(c.function.arguments as string);
  }
  return { messages, tools: row.tools as unknown[] | undefined };
}

/** LLaMA-Factory's reading: function_call values are a call or a list of calls, an observation holds each result. */
function fromSharegpt(row: Row): { messages: Msg[]; tools?: unknown[] } {
  const messages: Msg[] = [];
  let pending: string[] = [];
  let n = 0;
  for (const turn of row.conversations as Array<{ from: string; value: string }>) {
    if (turn.from === 'system') messages.push({ role: 'system', content: turn.value });
    else if (turn.from === 'human') messages.push({ role: 'user', content: turn.value });
    else if (turn.from === 'gpt') messages.push({ role: 'assistant', content: turn.value });
    else if (turn.from === 'function_call') {
      const parsed = JSON.parse(turn.value) as unknown;
      const list = (Array.isArray(parsed) ? parsed : [parsed]) as Array<{ name: string; arguments: unknown }>;
      pending = list.map(() => `call${String(++n).padStart(5, '0')}`);
      messages.push({ role: 'assistant', content: '', tool_calls: list.map((c, k) => ({ id: pending[k], type: 'function', function: c })) });
    } else {
      turn.value.split(TOOL_RESPONSE_SEPARATOR).forEach((content, k) => messages.push({ role: 'tool', content, tool_call_id: pending[k] }));
    }
  }
  return { messages, tools: typeof row.tools === 'string' ? (JSON.parse(row.tools) as unknown[]) : undefined };
}

const count = (text: string, part: string) => (part ? text.split(part).length - 1 : 0);
const tojson = (value: unknown) => new Template('{{ v | tojson }}').render({ v: value });

/** What must appear exactly once in the rendering, and what the template family is known to drop. */
function expectations(chat: { messages: Msg[] }, template: string): string[] {
  const dropsTextWithCalls = /llama|mistral/.test(template);
  const out: string[] = [];
  for (const m of chat.messages) {
    if (m.role === 'assistant') {
      const text = m.content.includes('</think>') ? (m.content.split('</think>').pop() ?? '') : m.content;
      if (text.trim() && !(m.tool_calls && dropsTextWithCalls)) out.push(text.trim());
      for (const c of (m.tool_calls ?? []) as Array<{ function: { name: string; arguments: unknown } }>) {
        const key = template.startsWith('llama') ? 'parameters' : 'arguments';
        out.push(`"name": "${c.function.name}", "${key}": ${tojson(c.function.arguments)}`);
      }
    }
  }
  return out;
}

function render(template: Template, chat: { messages: Msg[]; tools?: unknown[] }): string {
  return template.render({ messages: chat.messages, ...(chat.tools ? { tools: chat.tools } : {}), bos_token: '<s>', eos_token: '</s>', add_generation_prompt: false });
}

const KINDS = Object.keys(CANONICAL) as Kind[];

describe('exports rendered through real chat templates', () => {
  it('finds the templates beside the repository', () => {
    expect(templates.map((t) => t.name).sort()).toEqual([
      'deepseek_r1_distill_qwen',
      'llama3_1_instruct',
      'mistral_nemo_instruct_2407',
      'mistral_v2v3_axolotl',
      'qwen2_5_instruct',
      'qwen3',
      'qwen3_trl_revision',
      'qwen3_trl_training',
    ]);
  });

  for (const kind of KINDS) {
    for (const format of FORMATS) {
      it(`${kind} / ${format}: passes validate, and every template renders every row with each text, call and result once`, () => {
        let rendered = 0;
        for (const parallel of ['keep', 'split'] as const) {
          const rows = rowsOf(CANONICAL[kind], format, parallel);
          expect(rows.length).toBeGreaterThan(0);
          const file = join(tmp, `${kind}-${format}-${parallel}.jsonl`);
          writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
          const report = validateFile(file);
          expect(report.problems.filter((p) => p.severity === 'error'), JSON.stringify(report.problems.slice(0, 3))).toEqual([]);
          for (const { name, template } of templates) {
            const llama = name.startsWith('llama');
            // Llama 3.1 takes one call per turn: agent rows go to it exported with --parallel-calls split.
            if (llama !== (parallel === 'split') && kind.startsWith('agent')) continue;
            if (!llama && parallel === 'split') continue;
            // R1-distill is not a tool-calling template: reasoning (and plain chat) rows only.
            if (name.startsWith('deepseek') && kind.startsWith('agent')) continue;
            for (const row of rows) {
              const chat = toChat(row, format);
              let text = '';
              expect(() => (text = render(template, chat)), `${name} on ${JSON.stringify(row).slice(0, 200)}`).not.toThrow();
              for (const part of expectations(chat, name)) expect(count(text, part), `${name}: ${part}`).toBe(1);
              for (const m of chat.messages.filter((x) => x.role === 'tool')) {
                // Llama renders a string tool result through tojson (a string is iterable in Jinja): encoded once.
                const n = count(text, m.content) || (llama ? count(text, JSON.stringify(m.content)) : 0);
                expect(n, `${name}: tool result ${m.content}`).toBe(1);
              }
              rendered++;
            }
          }
        }
        expect(rendered).toBeGreaterThan(0);
      });
    }
  }

  it('reasoning reaches Qwen3-family renderings once per turn after the last user message (trl reasoning_content, sharegpt <think>)', () => {
    for (const format of ['trl', 'sharegpt'] as const) {
      for (const row of rowsOf(CANONICAL.reasoning, format, 'keep')) {
        const chat = toChat(row, format);
        const lastUser = chat.messages.map((m) => m.role).lastIndexOf('user');
        const wanted = CANONICAL.reasoning
          .flatMap((s) => s.messages.map((m, i) => ({ m, s, i })))
          .filter(({ m }) => m.role === 'assistant')
          .map(({ m, s }) => m.reasoning ?? s.reasoning ?? '');
        for (const t of templates.filter((x) => x.name.startsWith('qwen3'))) {
          const text = render(t.template, chat);
          const after = chat.messages.slice(lastUser + 1).filter((m) => m.role === 'assistant');
          const inRow = wanted.filter((r) => JSON.stringify(row).includes(JSON.stringify(r).slice(1, -1)));
          expect(inRow.length).toBeGreaterThan(0);
          expect(after.length).toBeGreaterThan(0);
          const found = inRow.filter((r) => count(text, r) === 1);
          expect(found.length, `${t.name} ${format}`).toBeGreaterThanOrEqual(1);
          for (const r of inRow) expect(count(text, r)).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('Llama 3.1 raises on parallel calls kept in one turn, which is why agent rows for it are exported with --parallel-calls split', () => {
    const llama = templates.find((t) => t.name.startsWith('llama'))!;
    const row = rowsOf(CANONICAL['agent-single'], 'trl', 'keep')[1]!;
    expect(() => render(llama.template, toChat(row, 'trl'))).toThrow(/single tool-calls/);
  });

  it('Mistral raises on ids as models write them, which is why every format normalizes them', () => {
    const mistral = templates.find((t) => t.name.startsWith('mistral_nemo'))!;
    const raw = structuredClone(CANONICAL['agent-single'][0]!) as Sample;
    const messages = raw.messages.map((m: Message) => ({
      ...m,
      ...(m.tool_calls ? { tool_calls: m.tool_calls.map((c) => ({ ...c, function: { name: c.function.name, arguments: JSON.parse(c.function.arguments) } })) } : {}),
    }));
    expect(() => render(mistral.template, { messages: messages as unknown as Msg[] })).toThrow(/length 9/);
  });
});
