/**
 * dedup.bin, on real session directories: a resume restores the duplicate index from the records the run
 * appended, and the restored index answers exactly like one rebuilt by hashing every sample. A torn last
 * record is cut and healed, samples without a record (a session from before dedup.bin, a record lost in a
 * crash) are hashed once and get one, removed samples are left out, and records of another format are
 * dropped. Plus the real run: the engine appends one record per accepted sample, and a resume heals.
 */
import { appendFileSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfigText } from '../../src/core/config.js';
import { DEDUP_HEADER_BYTES, restoreDuplicates, type DedupRestore } from '../../src/core/dedup-file.js';
import { buildPlan } from '../../src/core/plan.js';
import { conversationText, DuplicateIndex, type DuplicateCheck } from '../../src/core/quality.js';
import { hash32 } from '../../src/core/random.js';
import { readRemoved, readSamples, SessionStore } from '../../src/core/session/index.js';
import type { Sample } from '../../src/core/types.js';
import { jsonLines, runToEnd, sessionSuite, writeConfig } from './helpers.js';

const suite = sessionSuite('dedup-index', { seed: 91 });
const ENTRY = 4 + new DuplicateIndex().recordSize;

/** Seeded words, so every text is reproducible. */
function words(count: number, seed: number): string[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return `w${(s >>> 8).toString(36)}`;
  });
}

/** `base` with every `step`-th word replaced (from `offset`). */
function edit(base: string[], step: number, seed: number, offset = 0): string[] {
  const fresh = words(base.length, seed);
  return base.map((w, i) => (i % step === offset ? (fresh[i] as string) : w));
}

function sample(id: string, question: string, answer: string): Sample {
  return {
    id,
    slot: `t0_r${id}`,
    category: 'general',
    topic: 'general',
    messages: [{ role: 'system', content: 'You are a support agent.' }, { role: 'user', content: question }, { role: 'assistant', content: answer }],
    model: 'm',
    usage: { input_tokens: 1, output_tokens: 1 },
    created_at: new Date(0).toISOString(),
  };
}

const textOf = (s: Sample) => conversationText(s.messages.filter((m) => m.role !== 'system'));
const fromWords = (id: string, w: string[]) => sample(id, w.slice(0, 15).join(' '), w.slice(15).join(' '));

/** 300 samples: distinct texts, near duplicates of them, exact ones in other case and punctuation, short and wordless ones. */
function corpus(): Sample[] {
  const bases = Array.from({ length: 100 }, (_, i) => words(60, 1_000 + i));
  const out: Sample[] = bases.map((w, i) => fromWords(`base-${i}`, w));
  for (let i = 0; i < 100; i++) out.push(fromWords(`near-${i}`, edit(bases[i] as string[], 30, 5_000 + i, i % 30)));
  for (let i = 0; i < 60; i++) out.push(sample(`exact-${i}`, (bases[i] as string[]).slice(0, 15).join(' ').toUpperCase(), `${(bases[i] as string[]).slice(15).join(',  ')}!`));
  for (let i = 0; i < 35; i++) out.push(sample(`short-${i}`, 'Yes?', `No ${i}.`));
  for (let i = 0; i < 5; i++) out.push(sample(`empty-${i}`, '?!', '...'));
  return out;
}

/** Texts to check: every sample's own, near variants of the bases (around the threshold), unrelated ones. */
function probes(samples: Sample[]): string[] {
  const bases = Array.from({ length: 100 }, (_, i) => words(60, 1_000 + i));
  return [
    ...samples.map(textOf),
    ...bases.flatMap((b, i) => [edit(b, 60, 6_000 + i, 9), edit(b, 40, 7_000 + i, 3), edit(b, 12, 8_000 + i, 1)].map((w) => w.join(' '))),
    ...Array.from({ length: 50 }, (_, i) => words(60, 9_000 + i).join(' ')),
    'Yes? No 3.',
    '?! ...',
  ];
}

let sessions = 0;

/** A real session directory whose samples (and, with `records`, their dedup.bin) are written as a run writes them. */
function sessionWith(samples: Sample[], records = true): string {
  const name = `s${++sessions}`;
  const config = parseConfigText(`name: ${name}\ntask: support\ndomain: returns\nsize: 400\noutput_dir: ${suite.dir}\ntopics: { depth: 0 }\n`, 'test');
  const store = SessionStore.create(join(suite.dir, name), config, buildPlan(config));
  const index = new DuplicateIndex();
  restoreDuplicates(join(store.dir, 'samples.jsonl'), new Set(), index, store.dedup); // what createRun does before the engine
  for (const s of samples) {
    store.samples.append(s);
    index.add(textOf(s));
    if (records) store.dedup.append(s.id, index.lastRecord());
  }
  store.close();
  return store.dir;
}

/** What a resume does: the index restored from the session's files. */
function resume(dir: string, index = new DuplicateIndex()): { index: DuplicateIndex; result: DedupRestore } {
  const store = SessionStore.open(dir);
  try {
    const result = restoreDuplicates(join(dir, 'samples.jsonl'), new Set(readRemoved(dir).map((r) => r.id)), index, store.dedup);
    return { index, result };
  } finally {
    store.close();
  }
}

/** The index as it was built before dedup.bin: every kept sample hashed, in order. */
function rebuilt(samples: Sample[]): DuplicateIndex {
  const index = new DuplicateIndex();
  for (const s of samples) index.add(textOf(s));
  return index;
}

function answers(index: DuplicateIndex, texts: string[]): DuplicateCheck[] {
  return texts.map((t) => index.check(t));
}

const dedupBin = (dir: string) => readFileSync(join(dir, 'dedup.bin'));
const idHashes = (bin: Buffer) => Array.from({ length: (bin.length - DEDUP_HEADER_BYTES) / ENTRY }, (_, e) => bin.readUInt32LE(DEDUP_HEADER_BYTES + e * ENTRY));

describe('restoring the duplicate index from dedup.bin', () => {
  const samples = corpus();
  const texts = probes(samples);
  const expected = answers(rebuilt(samples), texts);

  test('the probes cover exact, near and no duplicates (so the comparisons below mean something)', () => {
    const kinds = expected.map((a) => (a.duplicate ? a.kind : 'none'));
    expect(kinds.filter((k) => k === 'exact').length).toBeGreaterThan(250);
    expect(kinds.filter((k) => k === 'near').length).toBeGreaterThan(100);
    expect(kinds.filter((k) => k === 'none').length).toBeGreaterThan(50);
    const similarities = new Set(expected.flatMap((a) => (a.duplicate && a.kind === 'near' ? [a.similarity] : [])));
    expect(similarities.size).toBeGreaterThan(3);
  });

  test('a resumed index answers every check exactly like one rebuilt by hashing, without hashing anything', () => {
    const dir = sessionWith(samples);
    expect(statSync(join(dir, 'dedup.bin')).size).toBe(DEDUP_HEADER_BYTES + samples.length * ENTRY);
    const { index, result } = resume(dir);
    expect(result).toEqual({ restored: samples.length, hashed: 0, droppedBytes: 0 });
    expect(index.size).toBe(samples.length);
    expect(answers(index, texts)).toEqual(expected);
    expect(statSync(join(dir, 'dedup.bin')).size).toBe(DEDUP_HEADER_BYTES + samples.length * ENTRY); // nothing appended
  });

  test('a torn last record is cut off, its sample hashed and its record written again', () => {
    const dir = sessionWith(samples);
    const whole = dedupBin(dir);
    truncateSync(join(dir, 'dedup.bin'), whole.length - 77);
    const { index, result } = resume(dir);
    expect(result).toEqual({ restored: samples.length - 1, hashed: 1, droppedBytes: ENTRY - 77 });
    expect(answers(index, texts)).toEqual(expected);
    expect(dedupBin(dir).equals(whole)).toBe(true);
    expect(resume(dir).result).toEqual({ restored: samples.length, hashed: 0, droppedBytes: 0 });
  });

  test('a session written before dedup.bin is hashed once, getting the records a run would have written', () => {
    const withRecords = dedupBin(sessionWith(samples));
    const dir = sessionWith(samples, false);
    unlinkSync(join(dir, 'dedup.bin'));
    const { index, result } = resume(dir);
    expect(result).toEqual({ restored: 0, hashed: samples.length, droppedBytes: 0 });
    expect(answers(index, texts)).toEqual(expected);
    expect(dedupBin(dir).equals(withRecords)).toBe(true);
    expect(resume(dir).result).toEqual({ restored: samples.length, hashed: 0, droppedBytes: 0 });
  });

  test('a record lost in the middle is healed at the end, and the index keeps the samples.jsonl order', () => {
    const dir = sessionWith(samples);
    const bin = dedupBin(dir);
    const lost = DEDUP_HEADER_BYTES + 120 * ENTRY;
    writeFileSync(join(dir, 'dedup.bin'), Buffer.concat([bin.subarray(0, lost), bin.subarray(lost + ENTRY)]));
    const { index, result } = resume(dir);
    expect(result).toEqual({ restored: samples.length - 1, hashed: 1, droppedBytes: 0 });
    expect(answers(index, texts)).toEqual(expected);
    expect(idHashes(dedupBin(dir)).at(-1)).toBe(hash32(samples[120]!.id));
    expect(answers(resume(dir).index, texts)).toEqual(expected);
  });

  test('removed samples are left out (their records are not restored, a missing one is not hashed)', () => {
    const dir = sessionWith(samples);
    const removedIds = ['base-3', 'near-3', 'exact-3', 'base-50', 'short-7', 'empty-4'];
    const store = SessionStore.open(dir);
    for (const id of removedIds) store.removed.append({ id, slot: `t0_r${id}`, at: new Date(0).toISOString(), reason: 'test' });
    store.close();
    expect(samples.slice(-2).map((s) => s.id)).toEqual(['empty-3', 'empty-4']);
    truncateSync(join(dir, 'dedup.bin'), DEDUP_HEADER_BYTES + (samples.length - 2) * ENTRY); // the last two have no record
    const kept = samples.filter((s) => !removedIds.includes(s.id));
    const { index, result } = resume(dir);
    expect(result).toEqual({ restored: kept.length - 1, hashed: 1, droppedBytes: 0 }); // empty-3 hashed, empty-4 not
    expect(index.size).toBe(kept.length);
    expect(answers(index, texts)).toEqual(answers(rebuilt(kept), texts));
    expect(index.check(textOf(samples.find((s) => s.id === 'base-3')!))).toEqual({ duplicate: false });
  });

  test('records of another index format are dropped and the file written again for this one', () => {
    const dir = sessionWith(samples);
    const size = statSync(join(dir, 'dedup.bin')).size;
    const wider = new DuplicateIndex({ numPerm: 128, bands: 32 });
    const { result } = resume(dir, wider);
    expect(result).toEqual({ restored: 0, hashed: samples.length, droppedBytes: size });
    expect(statSync(join(dir, 'dedup.bin')).size).toBe(DEDUP_HEADER_BYTES + samples.length * (4 + wider.recordSize));
    expect(resume(dir, new DuplicateIndex({ numPerm: 128, bands: 32 })).result.restored).toBe(samples.length);
  });
});

test('two sample ids with the same 32-bit hash each get their own record, and a line not starting with its id is read whole', () => {
  const [a, b] = ['id-149599', 'id-312382'];
  expect(hash32(a)).toBe(hash32(b));
  const first = fromWords(a, words(60, 11));
  const second = fromWords(b, words(60, 12));
  const third = fromWords('reordered', words(60, 13));
  const dir = sessionWith([first, second]);
  const { id, ...rest } = third;
  appendFileSync(join(dir, 'samples.jsonl'), `${JSON.stringify({ ...rest, id })}\n`); // "id" is not the first key
  const index = new DuplicateIndex();
  index.add(textOf(third));
  const store = SessionStore.open(dir);
  store.dedup.append(id, index.lastRecord());
  store.close();
  const all = [first, second, third];
  const { index: resumed, result } = resume(dir);
  expect(result).toEqual({ restored: 3, hashed: 0, droppedBytes: 0 });
  const texts = [...all.map(textOf), ...all.map((s, i) => edit(textOf(s).split(/\s+/), 25, 40 + i).join(' '))];
  expect(answers(resumed, texts)).toEqual(answers(rebuilt(all), texts));
});

test('DuplicateIndex records: addRecord restores what add stored, and refuses bytes that are not a record', () => {
  const index = new DuplicateIndex();
  expect(() => index.lastRecord()).toThrow(/nothing has been added/);
  const copy = new DuplicateIndex();
  for (const text of ['How do I return shoes that do not fit?', 'Yes.', ' ?! ']) {
    index.add(text);
    const record = index.lastRecord();
    expect(record.length).toBe(index.recordSize);
    copy.addRecord(record);
    expect(Array.from(copy.lastRecord())).toEqual(Array.from(record));
  }
  expect(copy.size).toBe(3);
  expect(copy.check('how do i return shoes that do NOT fit')).toEqual({ duplicate: true, kind: 'exact', similarity: 1 });
  // A record read at an odd offset of a larger buffer (as from a file) restores the same.
  const shifted = new Uint8Array(index.recordSize + 1);
  index.add('a text long enough to have several word shingles in it');
  shifted.set(index.lastRecord(), 1);
  copy.addRecord(shifted.subarray(1));
  expect(copy.check('A text, long enough to have several word shingles in it!')).toMatchObject({ duplicate: true, kind: 'exact' });

  expect(() => copy.addRecord(new Uint8Array(index.recordSize - 1))).toThrow(RangeError);
  const badHash = index.lastRecord();
  badHash[7] = 0x7f; // bits above the 53-bit hash
  expect(() => copy.addRecord(badHash)).toThrow(/hash is out of range/);
  const badBand = index.lastRecord();
  badBand[11] = 0xff; // a negative band key
  expect(() => copy.addRecord(badBand)).toThrow(/band key is out of range/);
  expect(copy.size).toBe(4); // refused records add nothing
  expect(new DuplicateIndex({ seed: 2 }).recordFormat).not.toBe(index.recordFormat);
});

describe('a real run', () => {
  test('the engine appends one record per accepted sample, in order, and a resume restores them all', async () => {
    const configPath = writeConfig({ name: 'run-records', outputDir: suite.dir, size: 12, concurrency: 3 });
    const dir = join(suite.dir, 'run-records');
    const run = await runToEnd(['run', configPath, '--yes', '--plain'], suite.env());
    expect(run.code, run.stderr).toBe(0);
    const samples = jsonLines<Sample>(join(dir, 'samples.jsonl'));
    expect(samples).toHaveLength(12);
    const bin = dedupBin(dir);
    expect(bin.length).toBe(DEDUP_HEADER_BYTES + 12 * ENTRY);
    expect(idHashes(bin)).toEqual(samples.map((s) => hash32(s.id)));
    const { index, result } = resume(dir);
    expect(result).toEqual({ restored: 12, hashed: 0, droppedBytes: 0 });
    const texts = [...samples.map(textOf), ...samples.map((s, i) => edit(textOf(s).split(/\s+/), 10, 60 + i).join(' '))];
    expect(answers(index, texts)).toEqual(answers(rebuilt(samples), texts));
  });

  test('resuming a session that has no dedup.bin gives every sample a record, old and new', async () => {
    const configPath = writeConfig({ name: 'run-heal', outputDir: suite.dir, size: 12, concurrency: 2, budgetUsd: 0.004 });
    const dir = join(suite.dir, 'run-heal');
    const first = await runToEnd(['run', configPath, '--yes', '--plain'], suite.env());
    expect(first.code, first.stderr).toBe(3);
    const before = readSamples(dir);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(12);
    unlinkSync(join(dir, 'dedup.bin'));

    const resumed = await runToEnd(['resume', dir, '--yes', '--plain', '--budget', '5'], suite.env());
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = jsonLines<Sample>(join(dir, 'samples.jsonl'));
    expect(after).toHaveLength(12);
    expect(idHashes(dedupBin(dir))).toEqual(after.map((s) => hash32(s.id)));
    expect(resume(dir).result).toEqual({ restored: 12, hashed: 0, droppedBytes: 0 });
  });
});
