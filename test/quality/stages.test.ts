import { describe, expect, test } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { judgeRequest, judgeVerdict, qualityChecks, runQualityChecks } from '../../src/core/quality/stages.js';
import type { Message } from '../../src/core/types.js';

const config = (quality: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  validateConfig({ name: 'q', task: 'support', domain: 'returns', size: 10, quality, ...extra });
const sample = (assistant: string): { messages: Message[] } => ({
  messages: [
    { role: 'user', content: 'How do I send back the shoes I ordered last week, and how long does the refund take?' },
    { role: 'assistant', content: assistant },
  ],
});
const answer = 'Open your orders page and choose Return next to the shoes; print the label, drop the parcel at any post office, and the refund reaches your card within five days.';

describe('heuristic checks from the config', () => {
  test('length and refusal are always on; language and PII only when configured', () => {
    expect(qualityChecks(config()).map((c) => c.name)).toEqual(['length', 'refusal']);
    expect(qualityChecks(config({ language: 'en', pii: 'redact' })).map((c) => c.name)).toEqual(['length', 'refusal', 'language', 'pii']);
  });

  test('the first failing check fails the sample as filtered; redaction passes the changed sample on', () => {
    const checks = qualityChecks(config({ language: 'en', pii: 'redact' }));
    expect(runQualityChecks(checks, sample(`${answer} Questions? Mail help@shop.example.com.`))).toEqual({
      ok: true,
      sample: sample(`${answer} Questions? Mail [EMAIL].`),
    });
    expect(runQualityChecks(checks, sample('As an AI language model, I cannot see your orders, but returns take five days.'))).toMatchObject({ ok: false, kind: 'filtered', message: expect.stringMatching(/^refusal:/) });
    expect(runQualityChecks(qualityChecks(config({ pii: 'reject' })), sample(`${answer} Call 555-123-4567.`))).toMatchObject({ ok: false, message: 'pii: message 2 (assistant) holds 1 phone' });
  });

  test('refusals pass when the config asks for negatives', () => {
    const refusal = sample("I'm sorry, but I can't help with faking a receipt; I can explain how our returns work instead.");
    expect(runQualityChecks(qualityChecks(config()), refusal).ok).toBe(false);
    expect(runQualityChecks(qualityChecks(config({}, { negatives: true })), refusal).ok).toBe(true);
  });
});

describe('judge request and verdict', () => {
  test('no request when the judge is off; the default criteria of the type when on', () => {
    expect(judgeRequest(config(), sample(answer))).toBeNull();
    const req = judgeRequest(config({ judge: { enabled: true } }), sample(answer), { topic: 'refund timing' });
    expect(req?.criteria.map((c) => c.name)).toEqual(['relevance', 'correctness', 'follows_instructions', 'realistic_user']);
    expect(req?.schemaName).toBe('judge');
    expect(req?.user).toContain('Topic: refund timing');
  });

  test('a malformed answer is a schema failure, a low score is filtered with the rationale, a good one keeps the scores', () => {
    const req = judgeRequest(config({ judge: { enabled: true, criteria: [{ name: 'correctness', weight: 1 }] } }), sample(answer))!;
    expect(judgeVerdict({ criteria: {} }, req, 3.5)).toMatchObject({ ok: false, kind: 'schema' });
    expect(judgeVerdict({ criteria: { correctness: { score: 2, rationale: 'Refunds take 10 days, not 5.' } } }, req, 3.5)).toMatchObject({
      ok: false,
      kind: 'filtered',
      message: 'judge: weighted score 2.00 is under the threshold 3.5; correctness 2/5: Refunds take 10 days, not 5.',
    });
    expect(judgeVerdict({ criteria: { correctness: { score: 4, rationale: 'Right.' } } }, req, 3.5)).toEqual({
      ok: true,
      scores: { mean: 4, criteria: { correctness: { score: 4, rationale: 'Right.' } } },
    });
  });
});
