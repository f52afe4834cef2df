import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat } from '../src/core/config.js';
import { validateFile, type ValidationReport } from '../src/core/validate/index.js';
import { formatReport } from '../src/core/validate/report.js';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synthloom-validate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(content: string | Buffer): string {
  const path = join(dir, `f${n++}.jsonl`);
  writeFileSync(path, content);
  return path;
}

const chat = (i: number) => ({
  messages: [
    { role: 'system', content: 'You are helpful.' },
    { role: 'user', content: `Question number ${i}?` },
    { role: 'assistant', content: `Answer number ${i}.` },
  ],
});

/** Twelve good openai rows with row `at` (1-based) replaced. */
function openaiFile(at?: number, replacement?: unknown): string {
  const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify(chat(i)));
  if (at !== undefined) rows[at - 1] = typeof replacement === 'string' ? replacement : JSON.stringify(replacement);
  return fileOf(`${rows.join('\n')}\n`);
}

function check(path: string, format?: ExportFormat): ValidationReport {
  return validateFile(path, format ? { format } : {});
}

function errorsOf(r: ValidationReport): string[] {
  return r.problems.filter((p) => p.severity === 'error').map((p) => `${p.line}: ${p.message}`);
}

const toolRow = (args: unknown) => ({
  messages: [
    { role: 'user', content: 'Where is order A1?' },
    { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_order', arguments: args } }] },
    { role: 'tool', tool_call_id: 'c1', content: '{"status":"shipped"}' },
    { role: 'assistant', content: 'It has shipped.' },
  ],
  tools: [{ type: 'function', function: { name: 'get_order', parameters: { type: 'object', properties: {} } } }],
});

describe('validate catches what trainers reject, each with its line number', () => {
  it('accepts a clean openai file', () => {
    const r = check(openaiFile(), 'openai');
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(12);
  });

  it('a line that is not JSON', () => {
    const r = check(openaiFile(3, '{"messages": [}'));
    expect(errorsOf(r)).toEqual([expect.stringMatching(/^3: not valid JSON/)]);
    expect(r.rows).toBe(11);
  });

  it('a conversation without an assistant message', () => {
    const r = check(openaiFile(5, { messages: [{ role: 'user', content: 'Hello?' }] }));
    expect(errorsOf(r)).toEqual(['5: no assistant message (nothing to train on)']);
  });

  it('an unknown role', () => {
    const row = chat(0);
    row.messages[2]!.role = 'bot';
    const r = check(openaiFile(7, row));
    expect(errorsOf(r)).toContain('7: message 3: unknown role "bot" (use system, user, assistant or tool)');
  });

  it('two user turns in a row', () => {
    const row = chat(0);
    row.messages.splice(2, 0, { role: 'user', content: 'And another thing?' });
    const r = check(openaiFile(2, row));
    expect(errorsOf(r)).toEqual(['2: messages 2 and 3: two user messages in a row']);
  });

  it('tool-call arguments as an object in an openai file', () => {
    const rows = [toolRow('{"order_id":"A1"}'), toolRow({ order_id: 'A1' })];
    const r = check(fileOf(`${rows.map((x) => JSON.stringify(x)).join('\n')}\n`), 'openai');
    expect(errorsOf(r)).toContain('2: message 2, tool call 1: arguments must be a JSON string for OpenAI, found an object');
  });

  it('tool-call arguments as a string in a trl file', () => {
    const rows = [toolRow({ order_id: 'A1' }), toolRow('{"order_id":"A1"}')];
    const r = check(fileOf(`${rows.map((x) => JSON.stringify(x)).join('\n')}\n`), 'trl');
    expect(errorsOf(r)).toContain('2: message 2, tool call 1: arguments must be an object for TRL, found a string');
  });

  it('tool-call arguments that are not JSON', () => {
    const r = check(fileOf(`${JSON.stringify(toolRow('{order_id: A1'))}\n`));
    expect(errorsOf(r)).toContain('1: message 2, tool call 1: arguments are not a JSON object');
  });

  it('a field whose JSON type changes between rows', () => {
    const row = chat(0) as { messages: { role: string; content: unknown }[] };
    row.messages[2]!.content = [{ type: 'text', text: 'Answer as parts.' }];
    const r = check(openaiFile(9, row));
    expect(errorsOf(r)).toEqual([
      '9: field messages[].content is an array here but a string on line 1 (the Hugging Face datasets loader needs one type per field)',
    ]);
  });

  it('an empty file', () => {
    for (const content of ['', '\n\n  \n']) {
      const r = check(fileOf(content));
      expect(errorsOf(r)).toEqual(['0: the file is empty']);
    }
  });

  it('a file that is not UTF-8', () => {
    const good = Buffer.from(`${JSON.stringify(chat(0))}\n`);
    const latin1 = Buffer.from(`${JSON.stringify({ messages: [{ role: 'user', content: 'caf\u00e9?' }, { role: 'assistant', content: 'Oui.' }] })}\n`, 'latin1');
    const r = check(fileOf(Buffer.concat([good, good, latin1, good])));
    expect(errorsOf(r)).toEqual(['3: not valid UTF-8 (save the file as UTF-8)']);
  });

  it('a UTF-8 byte order mark', () => {
    const r = check(fileOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${JSON.stringify(chat(0))}\n`)])));
    expect(errorsOf(r)).toEqual(['1: the file starts with a UTF-8 byte order mark (BOM), which JSON lines readers reject']);
  });

  it('keys OpenAI does not accept', () => {
    const r = check(openaiFile(4, { ...chat(0), reasoning: 'thinking' }));
    expect(errorsOf(r)).toEqual(['4: unknown key "reasoning" (OpenAI accepts only messages, tools, parallel_tool_calls)']);
  });

  it('a conversation that starts with the assistant, and a tool result without its call', () => {
    const r = check(
      openaiFile(6, {
        messages: [
          { role: 'assistant', content: 'Hi.' },
          { role: 'user', content: 'Hello?' },
          { role: 'tool', tool_call_id: 'x', content: 'result' },
          { role: 'assistant', content: 'Done.' },
        ],
      }),
    );
    expect(errorsOf(r)).toEqual([
      '6: message 1: the conversation must start with a user message, found assistant',
      '6: message 3: a tool result without a tool call before it',
    ]);
  });

  it('a tool message without tool_call_id in an openai file', () => {
    const row = toolRow('{"order_id":"A1"}');
    delete (row.messages[2] as { tool_call_id?: string }).tool_call_id;
    expect(errorsOf(check(fileOf(`${JSON.stringify(row)}\n`), 'openai'))).toContain('1: message 3: a tool message needs tool_call_id');
  });

  it('fewer than 10 examples: an error with --format openai, a warning when detected', () => {
    const path = fileOf(`${[0, 1, 2].map((i) => JSON.stringify(chat(i))).join('\n')}\n`);
    expect(errorsOf(check(path, 'openai'))).toEqual(['0: OpenAI fine-tuning needs at least 10 examples in a file; this one has 3']);
    const detected = check(path);
    expect(detected.errors).toBe(0);
    expect(detected.problems.map((p) => p.severity)).toEqual(['warning']);
  });

  it('rows in no known format', () => {
    expect(errorsOf(check(fileOf('{"text": "hello"}\n')))).toEqual([
      '0: cannot tell the format: rows have no messages, prompt/completion, instruction/output or conversations (pass --format)',
    ]);
  });

  it('an example over the per-example token limit is a warning', () => {
    const long = { messages: [{ role: 'user', content: 'Summarise:' }, { role: 'assistant', content: 'word '.repeat(70_000) }] };
    const r = check(fileOf(`${JSON.stringify(long)}\n`));
    expect(r.tokens.overLimit).toBe(1);
    expect(r.problems.some((p) => p.line === 1 && p.severity === 'warning' && /over the 65536-token limit/.test(p.message))).toBe(true);
  });
});

describe('sharegpt and alpaca rules', () => {
  const sg = (turns: { from: string; value: string }[]) => JSON.stringify({ conversations: turns });

  it('unknown from, two human turns, an observation without a function call', () => {
    const lines = [
      sg([{ from: 'human', value: 'Hi' }, { from: 'gpt', value: 'Hello' }]),
      sg([{ from: 'human', value: 'Hi' }, { from: 'bot', value: 'Hello' }]),
      sg([{ from: 'human', value: 'Hi' }, { from: 'human', value: 'Hi again' }, { from: 'gpt', value: 'Hello' }]),
      sg([{ from: 'human', value: 'Hi' }, { from: 'observation', value: '{}' }, { from: 'gpt', value: 'Hello' }]),
      sg([{ from: 'human', value: 'Hi' }, { from: 'function_call', value: 'get_order(1)' }, { from: 'observation', value: '{}' }, { from: 'gpt', value: 'Hello' }]),
    ];
    const r = check(fileOf(`${lines.join('\n')}\n`), 'sharegpt');
    expect(errorsOf(r)).toEqual([
      '2: turn 2: unknown role "bot" (use system, human, gpt, function_call or observation)',
      '2: no gpt turn (nothing to train on)',
      '3: turns 1 and 2: two human turns in a row (human, human)',
      '4: turns 1 and 2: two human turns in a row (human, observation)',
      '5: turn 2: a function_call value must be JSON {"name", "arguments": {...}} or a list of them',
    ]);
  });

  it('an alpaca row without output', () => {
    const lines = [
      JSON.stringify({ instruction: 'Say hi', input: '', output: 'Hi' }),
      JSON.stringify({ instruction: 'Say hi', input: '' }),
    ];
    expect(errorsOf(check(fileOf(`${lines.join('\n')}\n`)))).toEqual(['2: no output']);
  });
});

describe('the report', () => {
  it('lists each problem with its line number, caps the list, and ends with token statistics', () => {
    const rows = Array.from({ length: 80 }, (_, i) => (i % 2 ? 'not json' : JSON.stringify(chat(i))));
    const r = check(fileOf(`${rows.join('\n')}\n`));
    const text = formatReport(r, 50);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/: openai format \(detected\), 40 examples$/);
    expect(lines[1]).toMatch(/^line 2: error: not valid JSON/);
    expect(lines.filter((l) => l.startsWith('line '))).toHaveLength(40);
    expect(text).not.toContain('... and');
    const capped = formatReport(r, 10).trimEnd().split('\n');
    expect(capped.filter((l) => l.startsWith('line '))).toHaveLength(10);
    expect(capped).toContain('... and 30 more problems');
    expect(text).toMatch(/tokens per example: min \d+, mean [\d.]+, max \d+; total [\d,]+; 0 over the 65,536-token limit/);
    expect(text).toContain('OpenAI epochs heuristic: 3 epochs');
    expect(lines[lines.length - 1]).toBe('FAILED: 40 errors, 0 warnings');
  });

  it('never prints control characters from the file', () => {
    const r = check(openaiFile(2, '{"messages": \u001b[2J}'));
    expect(formatReport(r)).not.toMatch(/\u001b/);
  });
});
