/**
 * The readers on rows other tools write (not only synthloom's own exports): content parts, developer
 * messages, reasoning fields, tool results without ids, alpaca input and history, sharegpt system and
 * parallel observations; per-row detection; and the --where filters.
 */
import { describe, expect, it } from 'vitest';
import { parseWhere, passes } from '../src/core/convert/filters.js';
import { detectRow, readRow } from '../src/core/convert/readers/index.js';

describe('readers', () => {
  it('openai: content parts, null content on a call, developer as system, reasoning field on the final answer', () => {
    const { sample, losses } = readRow('openai', {
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Status of ' }, { type: 'text', text: 'A1?' }] },
        { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'get', arguments: '{"id":"A1"}' } }], reasoning: 'look it up' },
        { role: 'tool', content: 'shipped', name: 'get' },
        { role: 'assistant', content: 'It shipped.', reasoning_content: 'the tool said so', weight: 1 },
      ],
      user_id: 'u1',
    });
    expect(sample.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Status of A1?' },
      // Reasoning is per assistant turn (SPEC 11, issue 10): an earlier turn keeps its own.
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"id":"A1"}' } }], reasoning: 'look it up' },
      { role: 'tool', content: 'shipped', tool_call_id: 'call_1' },
      { role: 'assistant', content: 'It shipped.' },
    ]);
    expect(sample.reasoning).toBe('the tool said so');
    // A tool message's name is not lost (it is its call's); a weight has no place in the sample.
    expect(losses).toEqual({ extraKeys: ['user_id', 'messages[].weight'], newIds: 1 });
  });

  it('openai keeps a <think> block as text; trl moves it to reasoning', () => {
    const row = { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: '<think>\nhmm\n</think>\n\nanswer' }] };
    expect(readRow('openai', row).sample.messages[1]!.content).toBe('<think>\nhmm\n</think>\n\nanswer');
    const trl = readRow('trl', row).sample;
    expect(trl.messages[1]!.content).toBe('answer');
    expect(trl.reasoning).toBe('hmm');
  });

  it('trl: object arguments, a tool result matched by name, plain string prompt/completion', () => {
    const { sample } = readRow('trl', {
      prompt: [{ role: 'user', content: 'q' }],
      completion: [
        { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 'one', arguments: {} } }, { id: 'b', type: 'function', function: { name: 'two', arguments: { x: 1 } } }] },
        { role: 'tool', name: 'two', content: 'r2' },
        { role: 'tool', name: 'one', content: 'r1' },
        { role: 'assistant', content: 'done' },
      ],
    });
    expect(sample.messages[1]!.tool_calls!.map((c) => c.function.arguments)).toEqual(['{}', '{"x":1}']);
    expect(sample.messages.slice(2, 4).map((m) => [m.tool_call_id, m.content])).toEqual([['b', 'r2'], ['a', 'r1']]);
    expect(readRow('trl', { prompt: 'Hi', completion: 'Hello' }).sample.messages).toEqual([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }]);
  });

  it('alpaca: input on a new line after the instruction, history as earlier turns, think in output', () => {
    const { sample } = readRow('alpaca', { instruction: 'Translate', input: 'chat', output: '<think>\nfr\n</think>\n\ncat', system: 'S', history: [['hi', 'hello']] });
    expect(sample.messages).toEqual([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'Translate\nchat' },
      { role: 'assistant', content: 'cat' },
    ]);
    expect(sample.reasoning).toBe('fr');
  });

  it('sharegpt: a system field, parallel calls with a JSON list of results, tools as a JSON string', () => {
    const { sample } = readSharegpt();
    expect(sample.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(sample.messages[3]).toEqual({ role: 'tool', content: 'r1', tool_call_id: 'call_1' });
    expect(sample.messages[4]).toEqual({ role: 'tool', content: '{"ok":true}', tool_call_id: 'call_2' });
    expect(sample.tools?.[0]?.function.name).toBe('f');
  });

  it('detects each row and tells when a {messages} row could be either chat format', () => {
    expect(detectRow({ conversations: [] })).toEqual({ format: 'sharegpt', certain: true });
    expect(detectRow({ instruction: 'x', output: 'y' })).toEqual({ format: 'alpaca', certain: true });
    expect(detectRow({ prompt: 'x', completion: 'y' })).toEqual({ format: 'trl', certain: true });
    expect(detectRow({ messages: [{ role: 'user', content: 'q' }] })).toEqual({ format: 'openai', certain: false });
    const call = (args: unknown) => ({ messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: args } }] }] });
    expect(detectRow(call('{}'))).toEqual({ format: 'openai', certain: true });
    expect(detectRow(call({}))).toEqual({ format: 'trl', certain: true });
    expect(detectRow({ text: 'x' })).toBeNull();
  });
});

function readSharegpt() {
  return readRow('sharegpt', {
    system: 'sys',
    tools: JSON.stringify([{ type: 'function', function: { name: 'f', parameters: {} } }]),
    conversations: [
      { from: 'human', value: 'q' },
      { from: 'function_call', value: JSON.stringify([{ name: 'f', arguments: { a: 1 } }, { name: 'f', arguments: { a: 2 } }]) },
      { from: 'observation', value: JSON.stringify(['r1', { ok: true }]) },
      { from: 'gpt', value: 'done' },
    ],
  });
}

describe('--where', () => {
  const row = { rating: 4, score: '3.5', success: true, meta: { lang: 'en' } };
  const ok = (expr: string) => passes(parseWhere(expr), row);
  it('compares numbers, booleans and text, on dotted paths', () => {
    expect([ok('rating>=4'), ok('rating>4'), ok('rating=4'), ok('rating!=4'), ok('rating<5'), ok('rating<=3')]).toEqual([true, false, true, false, true, false]);
    expect([ok('score>3'), ok('success=true'), ok('success=false'), ok('success!=false')]).toEqual([true, true, false, true]);
    expect([ok('meta.lang=en'), ok('meta.lang="en"'), ok('meta.lang!=de'), ok('meta.lang>1')]).toEqual([true, true, true, false]);
    expect([ok('missing=1'), ok('missing!=1'), ok('missing>=0')]).toEqual([false, true, false]);
  });
  it('refuses what is not FIELD OP VALUE', () => {
    expect(() => parseWhere('rating')).toThrow(/not FIELD OP VALUE/);
    expect(() => parseWhere('lang>en')).toThrow(/needs a number/);
  });
});
