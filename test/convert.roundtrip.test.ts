/**
 * Round trip over every pair of formats: a session exported to format A, converted to format B and read
 * back keeps every message, tool call, tool result and reasoning text that both A and B can carry. What
 * each format carries is written out here on its own (not taken from the readers or writers), so a reader
 * or writer that drops or invents something fails.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertFile } from '../src/core/convert/convert.js';
import { forEachRow } from '../src/core/convert/rows.js';
import { exportSession } from '../src/core/export/index.js';
import type { ExportFormat } from '../src/core/config.js';
import type { Message, Sample } from '../src/core/types.js';
import { validateFile } from '../src/core/validate/index.js';
import { type BuiltSession, buildAgentSession, buildChatSession } from './fixtures/export/build-session.js';

type Variant = 'openai' | 'trl' | 'trl-pc' | 'alpaca' | 'sharegpt';
const VARIANTS: Variant[] = ['openai', 'trl', 'trl-pc', 'alpaca', 'sharegpt'];
const formatOf = (v: Variant): ExportFormat => (v === 'trl-pc' ? 'trl' : v);
const styleOf = (v: Variant) => (v === 'trl-pc' ? { trlStyle: 'prompt-completion' as const } : {});

interface Caps {
  reasoning: boolean;
  textWithCalls: boolean;
  tools: boolean;
  firstExchangeOnly: boolean;
}
const CAPS: Record<Variant, Caps> = {
  openai: { reasoning: false, textWithCalls: true, tools: true, firstExchangeOnly: false },
  trl: { reasoning: true, textWithCalls: true, tools: true, firstExchangeOnly: false },
  'trl-pc': { reasoning: true, textWithCalls: true, tools: true, firstExchangeOnly: false },
  alpaca: { reasoning: true, textWithCalls: false, tools: false, firstExchangeOnly: true },
  sharegpt: { reasoning: true, textWithCalls: false, tools: true, firstExchangeOnly: false },
};

type View = { messages: Message[]; reasoning?: string; tools?: unknown };

function finalAnswer(ms: Message[]): number {
  for (let i = ms.length - 1; i >= 0; i--) if (ms[i]!.role === 'assistant' && !ms[i]!.tool_calls) return i;
  return -1;
}

/** What of a sample a format carries. */
function project(v: View, caps: Caps): View {
  let messages: Message[] = v.messages.map((m) => ({
    role: m.role,
    content: m.content,
    ...(m.tool_calls ? { tool_calls: m.tool_calls.map((c) => ({ id: c.id, type: c.type, function: { name: c.function.name, arguments: c.function.arguments } })) } : {}),
    ...(m.tool_call_id !== undefined ? { tool_call_id: m.tool_call_id } : {}),
  }));
  let reasoning = caps.reasoning ? v.reasoning : undefined;
  if (caps.firstExchangeOnly) {
    const user = messages.findIndex((m) => m.role === 'user');
    const next = messages.findIndex((m, i) => i > user && m.role === 'user');
    const end = next < 0 ? messages.length : next;
    let answer = -1;
    for (let i = end - 1; i > user; i--) if (messages[i]!.role === 'assistant' && messages[i]!.content.trim() !== '') { answer = i; break; }
    if (answer !== finalAnswer(messages)) reasoning = undefined;
    const system = messages.filter((m) => m.role === 'system');
    messages = [...system, { role: 'user', content: messages[user]!.content }, { role: 'assistant', content: messages[answer]!.content }];
  }
  if (!caps.textWithCalls) for (const m of messages) if (m.tool_calls) m.content = '';
  // Every format's ids are normalized (issue 10: 9 alphanumerics derived from the sample id; sharegpt and
  // alpaca have none): compare them by position, so each result must still answer the call it answered.
  {
    const ids = new Map<string, string>();
    for (const m of messages) {
      for (const c of m.tool_calls ?? []) {
        const id = `call_${ids.size + 1}`;
        ids.set(c.id, id);
        c.id = id;
      }
      if (m.tool_call_id !== undefined) m.tool_call_id = ids.get(m.tool_call_id) ?? `unanswered:${m.tool_call_id}`;
    }
  }
  // Arguments compare as values: JSON strings and objects print alike once parsed.
  for (const m of messages) for (const c of m.tool_calls ?? []) c.function.arguments = JSON.stringify(JSON.parse(c.function.arguments));
  const out: View = { messages };
  if (reasoning !== undefined) out.reasoning = reasoning;
  if (caps.tools && v.tools !== undefined) out.tools = v.tools;
  return out;
}

function readBack(path: string, from: ExportFormat): View[] {
  const out: View[] = [];
  forEachRow(path, { from }, ({ sample }) => out.push(project(sample, CAPS.trl)));
  return out;
}

const key = (v: View) => JSON.stringify(v);

let root: string;
const sessions: Record<string, BuiltSession> = {};
const exported: Record<string, string> = {};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-convert-'));
  sessions.chat = buildChatSession(join(root, 'chat'));
  sessions.agent = buildAgentSession(join(root, 'agent'));
  for (const [name, s] of Object.entries(sessions)) {
    for (const v of VARIANTS) {
      const result = exportSession(s.dir, { format: formatOf(v), splits: { train: 1, validation: 0, test: 0 }, ...styleOf(v) });
      const path = join(root, `${name}-${v}.jsonl`);
      copyFileSync(result.files[0]!.path, path);
      exported[`${name}-${v}`] = path;
    }
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('convert: every pair of formats keeps what both carry', () => {
  for (const name of ['chat', 'agent']) {
    for (const a of VARIANTS) {
      for (const b of VARIANTS) {
        it(`${name}: ${a} -> ${b}`, () => {
          const s = sessions[name]!;
          const out = join(root, `${name}-${a}-to-${b}.jsonl`);
          const result = convertFile(exported[`${name}-${a}`]!, { from: 'auto', to: formatOf(b), out, ...styleOf(b) });
          // Tool-less trl {messages} rows are openai rows unless one carries trl's reasoning_content (issue 10:
          // per-turn reasoning goes there), which the session's reasoning samples do.
          const hasReasoning = s.samples.some((x) => x.reasoning || x.messages.some((m) => m.reasoning));
          expect(hasReasoning).toBe(true);
          expect(result.from).toBe(formatOf(a));
          // Through an explicit reader of A as well.
          convertFile(exported[`${name}-${a}`]!, { from: formatOf(a), to: formatOf(b), out, ...styleOf(b) });
          const expected = s.samples.map((x) => key(project(project(x, CAPS[a]), CAPS[b]))).sort();
          const actual = readBack(out, formatOf(b)).map((v) => key(project(v, CAPS[b]))).sort();
          expect(actual).toHaveLength(expected.length);
          expect(actual).toEqual(expected);
          const report = validateFile(out);
          expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
        });
      }
    }
  }

  it('the same format in and out is byte for byte the exported file', () => {
    for (const name of ['chat', 'agent']) {
      for (const v of VARIANTS) {
        const out = join(root, `${name}-${v}-same.jsonl`);
        convertFile(exported[`${name}-${v}`]!, { from: formatOf(v), to: formatOf(v), out, ...styleOf(v) });
        expect(readFileSync(out, 'utf8'), `${name} ${v}`).toBe(readFileSync(exported[`${name}-${v}`]!, 'utf8'));
      }
    }
  });

  it('says what the target cannot carry, with counts', () => {
    const out = join(root, 'agent-to-alpaca.jsonl');
    const r = convertFile(exported['agent-trl']!, { from: 'trl', to: 'alpaca', out });
    const agent = sessions.agent!.samples;
    const withTools = agent.filter((x: Sample) => x.messages.some((m) => m.tool_calls)).length;
    expect(r.notes.join('\n')).toContain(`the tool calls and tool results of ${withTools} sample(s) are not in the files`);
    const r2 = convertFile(exported['agent-sharegpt']!, { from: 'sharegpt', to: 'openai', out: join(root, 'x.jsonl') });
    const reasoning = agent.filter((x) => x.reasoning).length;
    expect(r2.notes.join('\n')).toContain(`the reasoning of ${reasoning} sample(s) is not in the files`);
    expect(r2.notes.join('\n')).toContain('had tool calls without ids');
  });

  it('reasoning on an earlier assistant turn survives trl -> sharegpt -> trl (a <think> block on its gpt turn in between)', () => {
    const row = {
      messages: [
        { role: 'user', content: 'first?' },
        { role: 'assistant', content: 'one', reasoning_content: 'r1' },
        { role: 'user', content: 'second?' },
        { role: 'assistant', content: 'two', reasoning_content: 'r2' },
      ],
    };
    const file = join(root, 'turn-reasoning-trl.jsonl');
    writeFileSync(file, `${JSON.stringify(row)}\n`);
    const viaShare = join(root, 'turn-reasoning-sharegpt.jsonl');
    const r = convertFile(file, { from: 'trl', to: 'sharegpt', out: viaShare });
    expect(r.notes.join('\n')).toContain('the reasoning of 1 sample(s) is a <think>...</think> block at the start of each gpt turn it belongs to');
    expect(r.notes.join('\n')).not.toMatch(/not in the files|left out/);
    const turns = (JSON.parse(readFileSync(viaShare, 'utf8')) as { conversations: { from: string; value: string }[] }).conversations;
    expect(turns.filter((t) => t.from === 'gpt').map((t) => /^<think>\n?([\s\S]*?)\n?<\/think>\s*([\s\S]*)$/.exec(t.value)?.slice(1))).toEqual([
      ['r1', 'one'],
      ['r2', 'two'],
    ]);
    const back = join(root, 'turn-reasoning-back.jsonl');
    convertFile(viaShare, { from: 'sharegpt', to: 'trl', out: back });
    const messages = (JSON.parse(readFileSync(back, 'utf8')) as { messages: Record<string, unknown>[] }).messages;
    expect(messages.map((m) => [m.role, m.content, m.reasoning_content])).toEqual([
      ['user', 'first?', undefined],
      ['assistant', 'one', 'r1'],
      ['user', 'second?', undefined],
      ['assistant', 'two', 'r2'],
    ]);
  });

  it('auto: rows before the first row that shows trl are read as trl too (their <think> blocks become reasoning)', () => {
    const think = (q: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: '<think>\nwhy\n</think>\n\nbecause' }] });
    const trlRow = { messages: [{ role: 'user', content: 'c' }, { role: 'assistant', content: '', tool_calls: [{ id: 'x', type: 'function', function: { name: 'f', arguments: {} } }] }, { role: 'tool', tool_call_id: 'x', content: 'r' }, { role: 'assistant', content: '<think>\nw\n</think>\n\nok' }] };
    const file = join(root, 'late-trl.jsonl');
    writeFileSync(file, [think('a'), think('b'), trlRow].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = convertFile(file, { from: 'auto', to: 'openai', out: join(root, 'late-trl-openai.jsonl') });
    expect(r.from).toBe('trl');
    expect(r.notes.join('\n')).toContain('the reasoning of 3 sample(s) is not in the files');
    expect(readFileSync(join(root, 'late-trl-openai.jsonl'), 'utf8')).not.toContain('<think>');
  });
});
