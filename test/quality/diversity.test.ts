import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AcceptedOpenings, diversityBlock, DuplicateRates, openingOf } from '../../src/core/quality/diversity.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { diversityLoop } from './diversity-loop.js';

describe('accepted openings and the prompt block', () => {
  test('an opening is the first sentence, at most 12 words, on one line', () => {
    expect(openingOf('My parcel never came.\nWhat now?')).toBe('My parcel never came.');
    expect(openingOf('one two three four five six seven eight nine ten eleven twelve thirteen fourteen')).toBe('one two three four five six seven eight nine ten eleven twelve …');
    expect(openingOf('evil \u001b[31mred\u001b[0m text')).toBe('evil red text');
  });

  test('keeps the openings seen last per topic, without repeats, and renders the block', () => {
    const o = new AcceptedOpenings(2);
    for (const q of ['Where is my order?', 'Where is my order?', 'Can I return shoes?', 'Is "express" faster?']) o.add('t1', [{ role: 'user', content: q }]);
    expect(o.list('t1')).toEqual(['Can I return shoes?', 'Is "express" faster?']);
    o.add('t1', [{ role: 'user', content: 'Can I return shoes?' }]);
    expect(o.list('t1')).toEqual(['Is "express" faster?', 'Can I return shoes?']);
    o.add('t1', [{ role: 'user', content: 'Can I return shoes?' }, { role: 'assistant', content: 'Yes.' }]);
    expect(o.list('t2')).toEqual([]);
    expect(diversityBlock(o.list('t2'))).toBeNull();
    expect(diversityBlock(o.list('t1'))?.split('\n').slice(1)).toEqual([`- "Is 'express' faster?"`, '- "Can I return shoes?"']);
  });

  test('duplicate rates per topic, highest first', () => {
    const r = new DuplicateRates();
    r.record('a', 'accepted');
    r.record('b', 'duplicate');
    r.record('b', 'accepted');
    r.record('a', 'other');
    expect(r.all()).toEqual([
      { topicId: 'b', attempts: 2, duplicates: 1, rate: 0.5 },
      { topicId: 'a', attempts: 2, duplicates: 0, rate: 0 },
    ]);
  });
});

describe('against a test server that repeats itself unless told what to avoid', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seed: 4, repeatUnlessAvoided: 3 });
  });
  afterAll(async () => server.close());

  test('feedback lowers the near-duplicate rejection rate', async () => {
    const without = await diversityLoop(server.openaiBaseUrl, { topics: 2, perTopic: 6, feedback: false, maxAttempts: 12 });
    const withFeedback = await diversityLoop(server.openaiBaseUrl, { topics: 2, perTopic: 6, feedback: true, maxAttempts: 12 });
    // Without feedback the server hands out its first canned conversation forever: one accepted per topic, the rest near duplicates.
    expect(without.accepted).toBe(2);
    expect(without.rate).toBeGreaterThan(0.9);
    expect(withFeedback.accepted).toBe(12);
    expect(withFeedback.rate).toBeLessThan(0.3);
  });
});
