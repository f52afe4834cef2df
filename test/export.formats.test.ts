import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSession, type ExportOptions } from '../src/core/export/index.js';
import { validateFile } from '../src/core/validate/index.js';
import { type BuiltSession, buildAgentSession, buildChatSession } from './fixtures/export/build-session.js';
import {
  checkAlpaca,
  checkOpenai,
  checkSharegpt,
  checkTrlMessages,
  checkTrlPromptCompletion,
  matchRows,
  type Row,
  readRows,
} from './fixtures/export/independent-readers.js';

let root: string;
let chat: BuiltSession;
let agent: BuiltSession;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-export-'));
  chat = buildChatSession(join(root, 'chat'));
  agent = buildAgentSession(join(root, 'agent'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CASES: { name: string; opts: ExportOptions; check: (row: Row, s: BuiltSession['samples'][number]) => string | null }[] = [
  { name: 'openai', opts: { format: 'openai' }, check: checkOpenai },
  { name: 'trl messages', opts: { format: 'trl' }, check: checkTrlMessages },
  { name: 'trl prompt-completion', opts: { format: 'trl', trlStyle: 'prompt-completion' }, check: checkTrlPromptCompletion },
  { name: 'alpaca', opts: { format: 'alpaca' }, check: checkAlpaca },
  { name: 'sharegpt', opts: { format: 'sharegpt' }, check: checkSharegpt },
];

function exportAndCheck(session: BuiltSession, c: (typeof CASES)[number]) {
  const result = exportSession(session.dir, c.opts);
  const rows: Row[] = [];
  for (const file of result.files) {
    // Detected, not forced: the agent session's 4-row splits are below OpenAI's 10-example minimum (an error only with --format openai).
    const report = validateFile(file.path);
    // Chat rows without tool calls are the same in openai and trl {messages}; detection then says openai,
    // unless some row carries TRL's reasoning_content.
    const plainChat = c.opts.format === 'trl' && c.opts.trlStyle === undefined && session === chat;
    const trlOnly = readFileSync(file.path, 'utf8').includes('"reasoning_content"');
    expect(report.format).toBe(plainChat && !trlOnly ? 'openai' : c.opts.format);
    expect(report.problems.filter((p) => p.severity === 'error'), `${file.split}: ${JSON.stringify(report.problems.slice(0, 3))}`).toEqual([]);
    if (session.samples.length >= 200) expect(validateFile(file.path, { format: c.opts.format }).errors).toBe(0);
    const fileRows = readRows(file.path);
    expect(fileRows).toHaveLength(file.rows);
    rows.push(...fileRows);
  }
  const matched = matchRows(rows, session.samples, c.check);
  return { result, rows, matched };
}

describe('every export format of a 200-sample multi-category session', () => {
  for (const c of CASES) {
    it(`${c.name}: passes validate and every row is its sample, read by an independent parser`, () => {
      const { result, rows, matched } = exportAndCheck(chat, c);
      expect(rows).toHaveLength(200);
      expect(new Set(matched.values()).size).toBe(200);
      expect(result.files.map((f) => [f.split, f.rows])).toEqual([
        ['train', 160],
        ['validation', 20],
        ['test', 20],
      ]);
      for (const key of ['messages', 'prompt', 'instruction', 'conversations']) {
        const present = rows.filter((r) => key in r).length;
        expect([0, rows.length]).toContain(present);
      }
    });
  }

  it('reasoning: openai leaves it out and says so; trl carries it as reasoning_content, sharegpt as a <think> block before the answer', () => {
    const openai = exportSession(chat.dir, { format: 'openai' });
    expect(readFileSync(openai.files[0]!.path, 'utf8')).not.toContain('<think>');
    expect(openai.notes.join('\n')).toMatch(/reasoning of 20 sample\(s\) is not in the files/);
    expect(readFileSync(openai.infoPath, 'utf8')).toMatch(/reasoning of 20 sample\(s\) is not in the files/);
    const trl = exportSession(chat.dir, { format: 'trl' });
    const trlText = trl.files.map((f) => readFileSync(f.path, 'utf8')).join('');
    expect(trlText.match(/"reasoning_content":/g)).toHaveLength(20);
    expect(trlText).not.toContain('<think>');
    expect(trl.notes.join('\n')).toMatch(/reasoning_content/);
    const sharegpt = exportSession(chat.dir, { format: 'sharegpt' });
    const text = sharegpt.files.map((f) => readFileSync(f.path, 'utf8')).join('');
    expect(text.match(/<think>\\n/g)).toHaveLength(20);
    expect(sharegpt.notes.join('\n')).toMatch(/<think>/);
  });

  it('alpaca counts the later turns it cannot carry and puts the system prompt on every row', () => {
    const result = exportSession(chat.dir, { format: 'alpaca' });
    const multi = chat.samples.filter((s) => s.messages.filter((m) => m.role === 'user').length > 1).length;
    expect(multi).toBeGreaterThan(40);
    expect(result.notes).toContain(`alpaca: ${multi} multi-turn sample(s) keep only their first exchange; the later turns are not in the files`);
    const rows = result.files.flatMap((f) => readRows(f.path));
    expect(rows.every((r) => r.system === chat.systemPrompt)).toBe(true);
  });
});

describe('tool-using (agent) samples in every format', () => {
  for (const c of CASES) {
    it(`${c.name}: passes validate and carries the tool calls the way its trainers expect`, () => {
      const { rows } = exportAndCheck(agent, c);
      expect(rows).toHaveLength(40);
      const withTools = rows.filter((r) => r.tools !== undefined).length;
      expect(withTools).toBe(c.opts.format === 'alpaca' ? 0 : 40);
    });
  }

  it('openai keeps arguments as JSON strings and trl as objects, in the same files the HF loader reads', () => {
    const argTypes = (format: 'openai' | 'trl') =>
      new Set(
        exportSession(agent.dir, { format })
          .files.flatMap((f) => readRows(f.path))
          .flatMap((r) => (r.messages as { tool_calls?: { function: { arguments: unknown } }[] }[]).flatMap((m) => m.tool_calls ?? []))
          .map((c) => typeof c.function.arguments),
      );
    expect(argTypes('openai')).toEqual(new Set(['string']));
    expect(argTypes('trl')).toEqual(new Set(['object']));
  });

  it('sharegpt maps calls to function_call and results to observation turns, and says what it drops', () => {
    const result = exportSession(agent.dir, { format: 'sharegpt' });
    const froms = new Set(result.files.flatMap((f) => readRows(f.path)).flatMap((r) => (r.conversations as { from: string }[]).map((t) => t.from)));
    expect(froms).toEqual(new Set(['human', 'gpt', 'function_call', 'observation']));
    expect(result.notes.join('\n')).toMatch(/assistant text sent together with a tool call is not in the files/);
  });

  it('alpaca says that tool calls are left out instead of dropping them silently', () => {
    const result = exportSession(agent.dir, { format: 'alpaca' });
    expect(result.notes.join('\n')).toMatch(/tool calls and tool results of 32 sample\(s\) are not in the files/);
  });
});

describe('the independent readers used above', () => {
  it('refuse rows that differ from their sample, so a passing match means something', () => {
    const s = chat.samples.find((x) => x.messages.length === 3 && !x.reasoning)!;
    const messages = s.messages.map((m) => ({ role: m.role, content: m.content }));
    expect(checkOpenai({ messages }, s)).toBeNull();
    expect(checkOpenai({ messages, reasoning: 'x' }, s)).toMatch(/unexpected keys reasoning/);
    expect(checkOpenai({ messages: messages.map((m, i) => (i === 2 ? { ...m, content: 'other' } : m)) }, s)).toMatch(/content/);
    expect(checkOpenai({ messages: messages.slice(1) }, s)).toMatch(/message count/);
    const alpaca = { instruction: s.messages[1]!.content, input: '', output: s.messages[2]!.content, system: s.messages[0]!.content };
    expect(checkAlpaca(alpaca, s)).toBeNull();
    expect(checkAlpaca({ ...alpaca, input: undefined }, s)).not.toBeNull();
    expect(checkSharegpt({ conversations: [{ from: 'human', value: s.messages[1]!.content }] }, s)).toMatch(/conversations/);
    expect(() => matchRows([{ messages: messages.slice(1) }], [s], checkOpenai)).toThrow(/matches no sample/);
  });
});
