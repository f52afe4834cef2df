import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentedMessages, augmentRequest, methodInstruction } from '../../src/core/augment/prompt.js';
import { derivedSample, planAugmentation } from '../../src/core/augment/plan.js';
import { exportSession } from '../../src/core/export/index.js';
import type { Sample } from '../../src/core/types.js';
import { buildChatSession, type BuiltSession } from '../fixtures/export/build-session.js';
import { checkOpenai, matchRows, readRows } from '../fixtures/export/independent-readers.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `s-${i}` }));

describe('augmentation planning', () => {
  it('--ratio 0.5 on 100 samples plans 50 derivations of 50 different originals, the same every time', () => {
    const plan = planAugmentation(ids(100), { method: 'rephrase', ratio: 0.5, seed: 42 });
    expect(plan.slots).toHaveLength(50);
    expect(new Set(plan.slots.map((s) => s.derivedFrom)).size).toBe(50);
    expect(planAugmentation(ids(100), { method: 'rephrase', ratio: 0.5, seed: 42 })).toEqual(plan);
    expect(planAugmentation(ids(100), { method: 'rephrase', ratio: 0.5, seed: 7 }).slots.map((s) => s.id)).not.toEqual(plan.slots.map((s) => s.id));
    for (const s of plan.slots) expect(s.id).toBe(`aug-rephrase-${s.derivedFrom}-0`);
  });

  it('ratios above 1 derive several per original; derived samples are not augmented again', () => {
    const plan = planAugmentation(ids(10), { method: 'expand', ratio: 2.5, seed: 1 });
    expect(plan.slots).toHaveLength(25);
    const per = new Map<string, number>();
    for (const s of plan.slots) per.set(s.derivedFrom, (per.get(s.derivedFrom) ?? 0) + 1);
    expect([...per.values()].sort()).toEqual([2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    const withDerived = [...ids(4), { id: 'd-1', derived_from: 's-0' }];
    expect(planAugmentation(withDerived, { method: 'expand', ratio: 1, seed: 1 }).originals).toBe(4);
    expect(() => planAugmentation(ids(3), { method: 'expand', ratio: 0, seed: 1 })).toThrow(/ratio/);
  });

  it('prompt and schema per method; the origin system message is kept', () => {
    const origin: Sample = {
      id: 's-1', slot: 'x', category: 'c', topic: 't', model: 'm', usage: { input_tokens: 1, output_tokens: 1 }, created_at: '',
      messages: [{ role: 'system', content: 'Sys' }, { role: 'user', content: 'How long is the warranty?' }, { role: 'assistant', content: 'Two years.' }],
      source: { file: 'a.md', chunk_id: 'ch_1', char_start: 0, char_end: 9 },
    };
    const slot = planAugmentation([origin], { method: 'difficulty', ratio: 1, seed: 1 }).slots[0]!;
    const request = augmentRequest({ origin, slot, passage: 'The warranty lasts two years.' });
    expect(request.user).toContain('user: How long is the warranty?');
    expect(request.user).toContain('<passage>\nThe warranty lasts two years.\n</passage>');
    expect(request.user).toContain('harder');
    expect(request.user).not.toContain('Sys');
    expect(methodInstruction('difficulty', { derivedFrom: 's-1', variant: 1 })).toMatch(/simpler/);
    expect(methodInstruction('format', { derivedFrom: 's-1', variant: 0 }, ['a haiku'])).toContain('a haiku');
    const messages = augmentedMessages(origin, [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }]);
    expect(messages[0]).toEqual({ role: 'system', content: 'Sys' });
    const derived = derivedSample(origin, slot, messages, { id: 'n-1', model: 'm', usage: { input_tokens: 2, output_tokens: 3 }, created_at: 'now' });
    expect(derived).toMatchObject({ derived_from: 's-1', slot: slot.id, category: 'c', source: origin.source });
  });
});

describe('derived samples are exported in their origin split', () => {
  let root: string;
  let session: BuiltSession;
  let all: Sample[];
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'synthloom-augment-'));
    session = buildChatSession(join(root, 'chat'));
    const plan = planAugmentation(session.samples, { method: 'rephrase', ratio: 0.5, seed: 3 });
    const byId = new Map(session.samples.map((s) => [s.id, s]));
    const derived = plan.slots.map((slot, i) => {
      const origin = byId.get(slot.derivedFrom)!;
      const messages = origin.messages.map((m) => (m.role === 'system' ? m : { ...m, content: `Put differently (${i}): ${m.content.split(' ').reverse().join(' ')}` }));
      return derivedSample(origin, slot, messages, { id: `d-${String(i).padStart(4, '0')}`, model: 'm', usage: { input_tokens: 1, output_tokens: 1 }, created_at: '2026-12-01T00:00:00.000Z' });
    });
    appendFileSync(join(session.dir, 'samples.jsonl'), derived.map((s) => `${JSON.stringify(s)}\n`).join(''));
    all = [...session.samples, ...derived];
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('each derived sample sits in its origin split, for several seeds', () => {
    for (const seed of [1, 2, 3, 4]) {
      const result = exportSession(session.dir, { format: 'openai', seed });
      const splitOf = new Map<string, string>();
      for (const file of result.files) for (const s of matchRows(readRows(file.path), all, checkOpenai).values()) splitOf.set(s.id, file.split);
      expect(splitOf.size).toBe(all.length);
      for (const s of all.filter((x) => x.derived_from)) expect(`${s.id} ${splitOf.get(s.id)}`).toBe(`${s.id} ${splitOf.get(s.derived_from!)}`);
    }
  });
});
