import { describe, expect, test } from 'vitest';
import { checkLanguage, checkLength, checkPii, checkRefusal, TOKEN_BOUNDS } from '../../src/core/quality/index.js';
import type { Message } from '../../src/core/types.js';

const chat = (assistant: string, user = 'How do I return a pair of shoes I bought last week?'): { messages: Message[] } => ({
  messages: [
    { role: 'system', content: 'You are a support agent. Contact: help@shop.example.com' },
    { role: 'user', content: user },
    { role: 'assistant', content: assistant },
  ],
});

describe('checkLength', () => {
  test('passes an answer within bounds and names the bound it breaks', () => {
    expect(checkLength(chat('Open your orders page and choose Return next to the shoes.'), TOKEN_BOUNDS.medium)).toEqual({ ok: true });
    const long = checkLength(chat('word '.repeat(600)), TOKEN_BOUNDS.short);
    expect(long).toMatchObject({ ok: false, kind: 'filtered' });
    expect(!long.ok && long.message).toMatch(/^length: message 3 \(assistant\) has 60\d tokens, over the 400-token bound$/);
    const short = checkLength(chat('Yes.'), TOKEN_BOUNDS.long);
    expect(!short.ok && short.message).toMatch(/under the 20-token bound/);
  });
});

describe('checkRefusal', () => {
  test.each([
    'As an AI language model, I cannot browse your order history.',
    "I'm just an AI, but here is how returns work.",
    'My knowledge cutoff means I may not know the latest policy.',
    "I don't have personal opinions, but the policy says 30 days.",
  ])('boilerplate is filtered even when refusals are allowed: %s', (text) => {
    expect(checkRefusal(chat(text), { allowRefusals: true })).toMatchObject({ ok: false, kind: 'filtered' });
  });

  test('a refusal is filtered unless the config asks for negatives', () => {
    const refusal = chat("I'm sorry, but I can't help with that request.");
    expect(checkRefusal(refusal)).toMatchObject({ ok: false, kind: 'filtered' });
    expect(checkRefusal(refusal, { allowRefusals: true })).toEqual({ ok: true });
  });

  test('ordinary answers mentioning AI or inability pass', () => {
    expect(checkRefusal(chat('Our AI-powered tracker shows the parcel. If you cannot find the label, reprint it from the order page.'))).toEqual({ ok: true });
    expect(checkRefusal(chat('Sure.', 'As an AI, can you help?'))).toEqual({ ok: true });
  });
});

describe('checkLanguage', () => {
  const en = chat('Open your orders page, choose the shoes and press Return. The label arrives by email within an hour, and the refund follows once the parcel is scanned.');
  const de = chat(
    'Öffnen Sie Ihre Bestellungen, wählen Sie die Schuhe aus und klicken Sie auf Rücksendung. Das Etikett kommt innerhalb einer Stunde per E-Mail.',
    'Wie kann ich ein Paar Schuhe zurückschicken, das ich letzte Woche gekauft habe?',
  );
  test('accepts the configured language by ISO 639-1 or 639-3 code and filters another', () => {
    expect(checkLanguage(en.messages, 'en')).toEqual({ ok: true });
    expect(checkLanguage(de.messages, 'deu')).toEqual({ ok: true });
    const wrong = checkLanguage(de.messages, 'en');
    expect(wrong).toEqual({ ok: false, kind: 'filtered', message: 'language: the conversation reads as deu, not eng (quality.language: en)' });
  });
  test('text too short to tell passes', () => {
    expect(checkLanguage(chat('Ja.', 'Danke!').messages, 'en')).toEqual({ ok: true });
  });
});

describe('checkPii', () => {
  const leaky = chat('Send it to returns@shop.example.com or call 555-123-4567.', 'My card 4111 1111 1111 1111 was charged twice.');
  test('off passes, reject names kinds and place but not the data', () => {
    expect(checkPii(leaky, 'off')).toEqual({ ok: true });
    const r = checkPii(leaky, 'reject');
    expect(r).toEqual({ ok: false, kind: 'filtered', message: 'pii: message 2 (user) holds 1 card' });
    expect(checkPii(chat('Nothing personal.'), 'reject')).toEqual({ ok: true });
  });
  test('redact rewrites user and assistant turns and tool arguments, not the system prompt', () => {
    const sample = {
      ...leaky,
      messages: [
        ...leaky.messages,
        { role: 'assistant' as const, content: '', tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 'email', arguments: '{"to":"jo@example.org"}' } }] },
      ],
    };
    const r = checkPii(sample, 'redact');
    expect(r.ok).toBe(true);
    const out = r.ok ? r.sample : undefined;
    expect(out?.messages.map((m) => m.content)).toEqual([
      'You are a support agent. Contact: help@shop.example.com',
      'My card [CARD] was charged twice.',
      'Send it to [EMAIL] or call [PHONE].',
      '',
    ]);
    expect(out?.messages[3]?.tool_calls?.[0]?.function.arguments).toBe('{"to":"[EMAIL]"}');
    expect(sample.messages[1]?.content).toContain('4111');
    expect(checkPii(chat('Nothing personal.'), 'redact')).toEqual({ ok: true });
  });
});
