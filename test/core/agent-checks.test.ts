import { describe, expect, it } from 'vitest';
import { checkAgentExample, type GeneratedAgentMessage } from '../../src/core/kinds/agent-checks.js';
import { TOOLS } from '../fixtures/kinds/tools.js';

const flight = { origin: 'LIS', destination: 'KIX', date: '2027-03-14', passengers: 2, cabin: null };
const good = (): GeneratedAgentMessage[] => [
  { role: 'user', content: 'Any flight to Osaka on 14 March for two?', tool_calls: null, tool_call_id: null },
  { role: 'assistant', content: '', tool_calls: [{ id: 'c1', name: 'search_flights', arguments: flight }, { id: 'c2', name: 'get_weather', arguments: { city: 'Osaka' } }], tool_call_id: null, reasoning: 'Need flights and weather.' },
  { role: 'tool', content: '{"flights": []}', tool_calls: null, tool_call_id: 'c2' },
  { role: 'tool', content: '{"error": "no flights"}', tool_calls: null, tool_call_id: 'c1' },
  { role: 'assistant', content: 'No flight is available that day; Osaka is mild.', tool_calls: null, tool_call_id: null, reasoning: null },
];

describe('checkAgentExample', () => {
  it('maps a valid example to canonical messages: string arguments without optional nulls, reasoning kept', () => {
    const check = checkAgentExample(good(), { tools: TOOLS, userTurns: 1, maxSteps: 3 });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(check.messages[1]?.tool_calls?.[0]).toEqual({ id: 'c1', type: 'function', function: { name: 'search_flights', arguments: '{"origin":"LIS","destination":"KIX","date":"2027-03-14","passengers":2}' } });
    expect(check.messages[1]?.reasoning).toBe('Need flights and weather.');
    expect(check.messages[4]).toEqual({ role: 'assistant', content: 'No flight is available that day; Osaka is mild.' });
  });

  it('refuses, in one line, each way an agent example goes wrong', () => {
    const cases: Array<[(m: GeneratedAgentMessage[]) => void, RegExp, object?]> = [
      [(m) => (m[1]!.tool_calls![0]!.name = 'send_email'), /message 2: tool call names "send_email", which is not a configured tool/],
      [(m) => ((m[1]!.tool_calls![0]!.arguments as Record<string, unknown>).passengers = 12), /message 2: search_flights: arguments\/passengers must be <= 9/],
      [(m) => (m[1]!.tool_calls![1]!.id = 'c1'), /tool call id "c1" is used twice/],
      [(m) => m.splice(3, 1), /c1 not answered by a tool message|have no result/],
      [(m) => (m[2]!.tool_call_id = 'c9'), /tool result for "c9", which is no call waiting/],
      [(m) => m.pop(), /not answered|last message is not the assistant answer/],
      [(m) => m.shift(), /message 1 is assistant, not the user/],
      [() => undefined, /1 user turns, but this example was planned with 2/, { userTurns: 2 }],
      [() => undefined, /more than 0 tool-call steps/, { maxSteps: 0 }],
      [(m) => { m.splice(1, 3); }, /the assistant never calls a tool/],
    ];
    for (const [mutate, message, extra] of cases) {
      const messages = structuredClone(good());
      mutate(messages);
      const check = checkAgentExample(messages, { tools: TOOLS, userTurns: 1, ...(extra ?? {}) });
      expect(check.ok, String(message)).toBe(false);
      if (!check.ok) expect(check.message).toMatch(message);
    }
  });

  it('checks every user turn uses a tool when asked to', () => {
    const two = [...good(), { role: 'user', content: 'Thanks, and Kyoto?' }, { role: 'assistant', content: 'Kyoto is close by train.' }];
    expect(checkAgentExample(two, { tools: TOOLS, userTurns: 2 }).ok).toBe(true);
    const check = checkAgentExample(two, { tools: TOOLS, userTurns: 2, toolsEveryTurn: true });
    expect(check).toEqual({ ok: false, message: 'a user turn is answered without any tool call' });
  });
});
