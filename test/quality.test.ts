import { describe, expect, it } from 'vitest';
import { checkConversation, conversationText, LENGTH_BOUNDS, withoutCode, type GateOptions } from '../src/core/quality.js';
import type { Message, ToolCall } from '../src/core/types.js';

const basic: GateOptions = { responseLength: 'medium', datasetType: 'basic' };
const agent: GateOptions = { responseLength: 'medium', datasetType: 'agent', toolNames: ['lookup_order', 'refund'] };

const user = (content: string): Message => ({ role: 'user', content });
const assistant = (content: string, tool_calls?: ToolCall[]): Message =>
  tool_calls ? { role: 'assistant', content, tool_calls } : { role: 'assistant', content };
const tool = (tool_call_id: string, content = '{"status":"shipped"}'): Message => ({ role: 'tool', content, tool_call_id });
const call = (id: string, name = 'lookup_order', args = '{"order_id":"A123"}'): ToolCall => ({
  id,
  type: 'function',
  function: { name, arguments: args },
});

const ANSWER = 'You can return unworn items within 30 days; start the return from your order page.';

function expectFail(messages: Message[], opts: GateOptions, kind: string, mentions: string | RegExp) {
  const result = checkConversation(messages, opts);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.kind).toBe(kind);
  expect(result.message).toMatch(mentions);
}

describe('role order', () => {
  it('passes a single-turn and a multi-turn chat, with or without a leading system message', () => {
    expect(checkConversation([user('Can I return shoes?'), assistant(ANSWER)], basic)).toEqual({ ok: true });
    const multi = [user('Can I return shoes?'), assistant(ANSWER), user('Even if worn once?'), assistant(ANSWER)];
    expect(checkConversation(multi, basic)).toEqual({ ok: true });
    expect(checkConversation([{ role: 'system', content: 'You are helpful.' }, ...multi], basic)).toEqual({ ok: true });
  });

  it('fails a conversation that starts with the assistant', () => {
    expectFail([assistant(ANSWER), user('ok')], basic, 'schema', /start with a user message/);
  });

  it('fails a conversation that ends with a user message', () => {
    expectFail([user('Hi there'), assistant(ANSWER), user('And then?')], basic, 'schema', /end with an assistant answer/);
  });

  it('fails two user messages in a row', () => {
    expectFail([user('Hi'), user('Hello?'), assistant(ANSWER)], basic, 'schema', /message 2 \(user\).*alternate/);
  });

  it('fails a system message in the middle and an empty conversation', () => {
    expectFail([user('Hi'), { role: 'system', content: 'x' }, assistant(ANSWER)], basic, 'schema', /system message/);
    expectFail([], basic, 'schema', /no messages/);
  });
});

describe('non-empty turns', () => {
  it('fails a blank user or assistant message, naming it', () => {
    expectFail([user('   '), assistant(ANSWER)], basic, 'schema', /message 1 \(user\) is empty/);
    expectFail([user('Hi'), assistant(' \n ')], basic, 'schema', /message 2 \(assistant\) is empty/);
  });

  it('lets an assistant that only calls tools have no text', () => {
    const messages = [user('Where is order A123?'), assistant('', [call('c1')]), tool('c1'), assistant(ANSWER)];
    expect(checkConversation(messages, agent)).toEqual({ ok: true });
  });
});

describe('tool calls', () => {
  it('passes parallel calls answered in any order, and a chain of calls', () => {
    const parallel = [
      user('Refund order A123 if it shipped'),
      assistant('', [call('c1'), call('c2', 'refund')]),
      tool('c2', '{"ok":true}'),
      tool('c1'),
      assistant(ANSWER),
    ];
    expect(checkConversation(parallel, agent)).toEqual({ ok: true });
    const chain = [user('Refund A123'), assistant('', [call('c1')]), tool('c1'), assistant('', [call('c2', 'refund')]), tool('c2'), assistant(ANSWER)];
    expect(checkConversation(chain, agent)).toEqual({ ok: true });
  });

  it('fails tool calls in a basic dataset', () => {
    expectFail([user('Where is A123?'), assistant('', [call('c1')]), tool('c1'), assistant(ANSWER)], basic, 'schema', /calls tools, but this is a basic dataset/);
  });

  it('fails a missing tool result', () => {
    expectFail([user('Refund A123'), assistant('', [call('c1'), call('c2')]), tool('c1'), assistant(ANSWER)], agent, 'schema', /2 tool call\(s\) but only 1/);
  });

  it('fails a tool result with an id no call made', () => {
    expectFail([user('Refund A123'), assistant('', [call('c1')]), tool('zz'), assistant(ANSWER)], agent, 'schema', /unknown tool call id "zz"/);
  });

  it('fails a tool message that answers no call', () => {
    expectFail([user('Hi'), tool('c1'), assistant(ANSWER)], agent, 'schema', /answers no tool call/);
  });

  it('fails a call to a tool the config does not define', () => {
    expectFail([user('Hi'), assistant('', [call('c1', 'delete_everything')]), tool('c1'), assistant(ANSWER)], agent, 'schema', /unknown tool "delete_everything"/);
  });

  it('fails arguments that are not JSON or not a JSON object', () => {
    expectFail([user('Hi'), assistant('', [call('c1', 'refund', '{order: 1')]), tool('c1'), assistant(ANSWER)], agent, 'schema', /arguments of "refund" are not valid JSON/);
    expectFail([user('Hi'), assistant('', [call('c1', 'refund', '[1,2]')]), tool('c1'), assistant(ANSWER)], agent, 'schema', /must be a JSON object/);
  });

  it('fails duplicate call ids and a conversation that ends on tool results', () => {
    expectFail([user('Hi'), assistant('', [call('c1'), call('c1')]), tool('c1'), tool('c1'), assistant(ANSWER)], agent, 'schema', /"c1" twice/);
    expectFail([user('Hi'), assistant('', [call('c1')]), tool('c1')], agent, 'schema', /ends on tool results/);
  });
});

describe('length bounds', () => {
  it('passes answers inside the bounds of each response length', () => {
    expect(checkConversation([user('Capital of France?'), assistant('Paris.')], { ...basic, responseLength: 'short' })).toEqual({ ok: true });
    expect(checkConversation([user('Explain'), assistant('a'.repeat(LENGTH_BOUNDS.long.min))], { ...basic, responseLength: 'long' })).toEqual({ ok: true });
    expect(checkConversation([user('Explain'), assistant('b'.repeat(LENGTH_BOUNDS.medium.max))], basic)).toEqual({ ok: true });
  });

  it('filters an answer too short for its length and one too long, naming the length', () => {
    expectFail([user('Explain returns'), assistant('Yes.')], basic, 'filtered', /message 2 \(assistant\) is 4 characters; medium answers must be 20-6,000/);
    expectFail([user('Explain'), assistant('x'.repeat(1_501))], { ...basic, responseLength: 'short' }, 'filtered', /1,501 characters; short answers must be 1-1,500/);
  });

  it('lets an earlier clarifying question be short, but not too long', () => {
    const long = { ...basic, responseLength: 'long' } as const;
    const answer = 'c'.repeat(500);
    expect(checkConversation([user('Help'), assistant('Which order?'), user('A123'), assistant(answer)], long)).toEqual({ ok: true });
    expectFail([user('Help'), assistant('d'.repeat(20_001)), user('A123'), assistant(answer)], long, 'filtered', /message 2/);
  });
});

describe('leftover placeholders', () => {
  const leftovers = [
    'Best regards,\n[Your Name]',
    'Please contact [Customer Name] about it.',
    'Dear {{customer_name}}, your refund is on its way.',
    'Reply to <insert support email here> for help.',
    'Use the portal at [insert link] to start.',
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit.',
    'TODO: add the refund policy details here.',
    'Your order #XXX has been refunded in full.',
  ];
  for (const text of leftovers) {
    it(`filters ${JSON.stringify(text.slice(0, 40))}, quoting the placeholder`, () => {
      const result = checkConversation([user('Can I get a refund for my order?'), assistant(text)], basic);
      expect(result).toMatchObject({ ok: false, kind: 'filtered' });
      if (!result.ok) expect(result.message).toMatch(/leftover placeholder "[^"]+" in message 2 \(assistant\)/);
    });
  }

  it('quotes the placeholder it found', () => {
    const result = checkConversation([user('Write the closing of a reply'), assistant('Thanks for your patience!\n[Your Name]')], basic);
    expect(result).toEqual({ ok: false, kind: 'filtered', message: 'leftover placeholder "[Your Name]" in message 2 (assistant)' });
  });

  it('checks user turns too', () => {
    expectFail([user('Hi, I am [Your Name] and my order is late'), assistant(ANSWER)], basic, 'filtered', /message 1 \(user\)/);
  });

  const legitimate: [string, string][] = [
    ['HTML with an angle-bracket tag', 'Wrap it in a <div> and give the <span> a class: that keeps the layout simple.'],
    ['a JS object literal in a code block', 'Destructure it:\n```js\nconst {x} = point;\nconst html = `<div>${x}</div>`;\n// TODO: handle null\n```\nThat is all.'],
    ['Jinja in a templating answer', 'In Jinja you print a variable with {{ user.name }} and loop with {% for item in items %}.'],
    ['Handlebars in inline code', 'Use `{{customer_name}}` in the template body and pass the value when rendering.'],
    ['a markdown link and a checklist', 'Open [your order page](https://example.com/orders) and tick:\n- [x] label printed\n- [ ] box sealed'],
    ['array indexing in prose', 'Read items[index] and then obj[name] to get the value, as the docs show for lookups.'],
    ['lorem ipsum inside a code block', 'A filler paragraph:\n```html\n<p>Lorem ipsum dolor sit amet</p>\n```\nReplace it with your copy.'],
    ['sizes and single braces', 'We stock sizes S to XXL. In Python, f"{total}" prints the total; sets look like {1, 2}.'],
  ];
  for (const [what, text] of legitimate) {
    it(`passes ${what}`, () => {
      expect(checkConversation([user('How do I do this in my project?'), assistant(text)], basic)).toEqual({ ok: true });
    });
  }
});

describe('withoutCode', () => {
  it('removes fenced blocks (closed or not) and inline code, keeps prose', () => {
    expect(withoutCode('before\n```\n[Your Name]\n```\nafter `TODO:` end')).not.toMatch(/Your Name|TODO/);
    expect(withoutCode('intro\n~~~py\nx = "{{a}}"\n')).not.toContain('{{a}}');
    expect(withoutCode('keep [Your Name] here')).toContain('[Your Name]');
  });
});

describe('conversationText', () => {
  it('joins every turn but the system prompt, tool calls included', () => {
    const text = conversationText([
      { role: 'system', content: 'SYSTEM PROMPT' },
      user('Where is A123?'),
      assistant('', [call('c1')]),
      tool('c1'),
      assistant('It shipped.'),
    ]);
    expect(text).not.toContain('SYSTEM PROMPT');
    expect(text).toContain('Where is A123?');
    expect(text).toContain('lookup_order {"order_id":"A123"}');
    expect(text).toContain('{"status":"shipped"}');
    expect(text).toContain('It shipped.');
  });
});
