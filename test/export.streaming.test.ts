/**
 * The pieces that let the export stream a large session: one-buffer line reading, reading a line back by
 * its offset, row-by-row atomic files, shingles kept without their text, and near-duplicate grouping
 * over numeric band buckets. Each is checked against a plain definition written here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSession } from '../src/core/export/index.js';
import { AtomicFile, forEachJsonl, type LineAt, LineFile } from '../src/core/export/jsonl.js';
import { type ComparedTexts, duplicateGroups, jaccard } from '../src/core/export/near-duplicates.js';
import { normalizeText, shingleHashes, ShingleStore } from '../src/core/export/shingles.js';
import { forEachLine, type LineVisit } from '../src/core/files.js';
import { hash32 } from '../src/core/random.js';
import { buildChatSession } from './fixtures/export/build-session.js';
import { checkOpenai, matchRows, readRows } from './fixtures/export/independent-readers.js';

let root: string;
let n = 0;
const fresh = (name: string) => join(root, `${name}-${n++}`);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-streaming-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function visits(path: string): LineVisit[] {
  const out: LineVisit[] = [];
  forEachLine(path, (v) => out.push(v));
  return out;
}

/** The plain definition: split the whole file at newline bytes. */
function expectedVisits(content: Buffer): LineVisit[] {
  const out: LineVisit[] = [];
  let start = 0;
  for (let nl = content.indexOf(10); nl !== -1; nl = content.indexOf(10, nl + 1)) {
    out.push({ line: content.toString('utf8', start, nl), number: out.length + 1, offset: start, terminated: true });
    start = nl + 1;
  }
  if (start < content.length) out.push({ line: content.toString('utf8', start), number: out.length + 1, offset: start, terminated: false });
  return out;
}

describe('reading samples.jsonl a line at a time', () => {
  it('forEachLine visits every line with its number, byte offset and whether a newline ends it', () => {
    const MiB = 1 << 20;
    const files: (string | Buffer)[] = [
      '',
      'one line, no newline',
      'a\r\nb\r\n\r\n\nlast',
      // Lines ending near the 1 MiB chunk edges, multi-byte characters across them.
      `${'x'.repeat(MiB - 3)}\n€${'é'.repeat(1000)}\n${'y'.repeat(MiB)}\nz\n`,
      // A line longer than the buffer, twice over, then an unterminated one.
      `${'ü'.repeat(3 * MiB)}\nshort\n${'q'.repeat(MiB + 5)}`,
      Buffer.from([0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a, 0x62]), // invalid UTF-8
    ];
    for (const [k, content] of files.entries()) {
      const path = join(root, `lines-${k}.txt`);
      writeFileSync(path, content);
      expect(visits(path)).toEqual(expectedVisits(Buffer.from(content)));
    }
    expect(visits(join(root, 'missing.txt'))).toEqual([]);
  });

  it('a line read back by its offset is the line forEachJsonl parsed, even with invalid UTF-8 or no newline', () => {
    const path = join(root, 'readback.jsonl');
    const long = 'w'.repeat(200_000);
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('{"a":1}\n\n  {"b":"two"}  \r\n{"c":"'),
        Buffer.from([0xff, 0xfe, 0xc3]), // three bytes that decode to three U+FFFD (nine bytes)
        Buffer.from(`"}\nnot json\n{"d":"${long}"}\n{"e":[1,2,3]}`),
      ]),
    );
    const seen: { value: unknown; at: LineAt }[] = [];
    const problems = forEachJsonl(path, (value, _line, at) => seen.push({ value, at }));
    expect(problems).toEqual({ tornLastLine: false, badLines: [5] });
    expect(seen.map((s) => Object.keys(s.value as object)[0])).toEqual(['a', 'b', 'c', 'd', 'e']);
    const file = new LineFile(path);
    try {
      for (const { value, at } of seen) expect(file.read(at)).toEqual(value);
      expect(file.read({ offset: seen[2]!.at.offset, bytes: 1 })).toEqual(seen[2]!.value); // a short guess is read on
    } finally {
      file.close();
    }
  });
});

describe('AtomicFile', () => {
  it('writes its pieces in order and replaces the file only on commit', () => {
    const path = join(root, 'atomic.jsonl');
    writeFileSync(path, 'old\n');
    const file = new AtomicFile(path);
    const pieces = Array.from({ length: 3000 }, (_, i) => `{"row":${i},"text":"${'ä€'.repeat(i % 50)}"}\n`);
    for (const p of pieces) file.write(p);
    expect(readFileSync(path, 'utf8')).toBe('old\n');
    expect(readdirSync(root).filter((f) => f.startsWith('atomic.jsonl.tmp-'))).toHaveLength(1);
    file.commit();
    expect(readFileSync(path, 'utf8')).toBe(pieces.join(''));
    expect(readdirSync(root).filter((f) => f.startsWith('atomic.jsonl.tmp-'))).toEqual([]);
  });

  it('abort leaves the old file and no temporary file', () => {
    const path = join(root, 'aborted.jsonl');
    writeFileSync(path, 'kept\n');
    const file = new AtomicFile(path);
    file.write('x'.repeat(200_000));
    file.abort();
    expect(readFileSync(path, 'utf8')).toBe('kept\n');
    expect(readdirSync(root).filter((f) => f.startsWith('aborted.jsonl.tmp-'))).toEqual([]);
    expect(() => file.commit()).toThrow(/already committed or aborted/);
  });
});

/** The definition: hash32 of every run of three words of the normalized text; a shorter text is one shingle. */
function definedShingles(text: string): number[] {
  const normalized = normalizeText(text);
  const words = normalized === '' ? [] : normalized.split(' ');
  const hashes = words.length < 3 ? [hash32(words.join(' '))] : words.slice(2).map((_, i) => hash32(words.slice(i, i + 3).join(' ')));
  return [...new Set(hashes)].sort((a, b) => a - b);
}

const TEXTS = ['', 'One', 'two words', 'Three  words, here!', 'the the the the the', 'Ünïcode ﬁle — straße 日本 語 text ok', 'a b c d e f g h i j k l m n'];

describe('shingles', () => {
  it('are the sorted unique hashes of each three-word run of the normalized text', () => {
    for (const text of TEXTS) expect([...shingleHashes(normalizeText(text))]).toEqual(definedShingles(text));
  });

  it('ShingleStore keeps each text’s shingles and text hash, across its chunks', () => {
    const store = new ShingleStore();
    const texts = Array.from({ length: 3000 }, (_, i) => `${TEXTS[i % TEXTS.length]} ${'word '.repeat(i % 300)} n${i}`);
    for (const t of texts) store.add(t);
    expect(store.size).toBe(texts.length);
    texts.forEach((t, i) => {
      expect([...store.shingles(i)]).toEqual(definedShingles(t));
      expect(store.textHash(i)).toBe(hash32(normalizeText(t)));
    });
  });
});

function compared(texts: readonly string[], textHash?: (i: number) => number): ComparedTexts {
  const store = new ShingleStore();
  for (const t of texts) store.add(t);
  return {
    count: texts.length,
    shingles: (i) => store.shingles(i),
    textHash: textHash ?? ((i) => store.textHash(i)),
    normalizedText: (i) => normalizeText(texts[i] as string),
  };
}

/** Components of the pairs that are equal after normalizing or at least 0.8 Jaccard-similar, by brute force. */
function bruteForceGroups(texts: readonly string[]): number[][] {
  const shingles = texts.map((t) => Uint32Array.from(definedShingles(t)));
  const parent = texts.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  for (let a = 0; a < texts.length; a++) {
    for (let b = a + 1; b < texts.length; b++) {
      const same = normalizeText(texts[a] as string) === normalizeText(texts[b] as string);
      if (same || jaccard(shingles[a] as Uint32Array, shingles[b] as Uint32Array) >= 0.8) parent[Math.max(find(a), find(b))] = Math.min(find(a), find(b));
    }
  }
  const groups = new Map<number, number[]>();
  texts.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]));
  return [...groups.values()];
}

function lcgWords(seed: number, count: number): string[] {
  let s = seed;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return `w${s % 5000}`;
  });
}

describe('near-duplicate groups', () => {
  const bases = Array.from({ length: 30 }, (_, k) => lcgWords(k + 1, 60));
  const texts: string[] = [];
  bases.forEach((words, k) => {
    texts.push(words.join(' '));
    if (k % 3 === 0) texts.push(`${words.join(' ').toUpperCase()}!!`); // exact after normalizing
    if (k % 4 === 0) texts.push(words.map((w, i) => (i === 30 ? 'changed' : w)).join(' ')); // near
  });

  it('are the components of the exact and near pairs found by brute force', () => {
    const { groups, exactDuplicates } = duplicateGroups(compared(texts));
    expect(groups).toEqual(bruteForceGroups(texts));
    expect(groups.filter((g) => g.length > 1).length).toBeGreaterThan(5);
    expect(exactDuplicates).toBe(10);
  });

  it('tell texts apart by their normalized text when their hashes collide', () => {
    const { groups, exactDuplicates } = duplicateGroups(compared(texts, () => 7));
    expect(groups).toEqual(bruteForceGroups(texts));
    expect(exactDuplicates).toBe(10);
  });

  it('keep 300 near copies of one text in one group although a bucket compares only its newest 64', () => {
    const base = lcgWords(99, 80);
    const copies = Array.from({ length: 300 }, (_, i) => base.map((w, j) => (j === i % 80 ? `x${i}` : w)).join(' '));
    const others = Array.from({ length: 50 }, (_, k) => lcgWords(1000 + k, 80).join(' '));
    const { groups } = duplicateGroups(compared([...copies, ...others]));
    expect(groups[0]).toEqual(copies.map((_, i) => i));
    expect(groups).toHaveLength(51);
  });
});

describe('exporting a session read a line at a time', () => {
  it('exports a sample longer than the read buffer and one whose line has invalid UTF-8', () => {
    const s = buildChatSession(fresh('stream'));
    const path = join(s.dir, 'samples.jsonl');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const longSample = s.samples.find((x) => x.id === 's-0042')!;
    const longAnswer = longSample.messages.find((m) => m.role === 'assistant')!;
    const longLine = lines.findIndex((l) => l.includes('"id":"s-0042"'));
    longAnswer.content = `${longAnswer.content} ${'lengthy '.repeat(300_000)}`;
    lines[longLine] = JSON.stringify(longSample);
    const badLine = lines.findIndex((l) => l.includes('"id":"s-0077"'));
    const bad = lines[badLine]!;
    const cut = bad.indexOf('"content":"') + 11;
    const bytes = Buffer.concat([
      Buffer.from(lines.slice(0, badLine).join('\n') + '\n' + bad.slice(0, cut)),
      Buffer.from([0xff]),
      Buffer.from(bad.slice(cut) + '\n' + lines.slice(badLine + 1).join('\n') + '\n'),
    ]);
    writeFileSync(path, bytes);
    const badSample = s.samples.find((x) => x.id === 's-0077')!;
    badSample.messages[0]!.content = `\ufffd${badSample.messages[0]!.content}`; // what the byte 0xff decodes to

    const result = exportSession(s.dir, { format: 'openai' });
    const rows = result.files.flatMap((f) => readRows(f.path));
    expect(rows).toHaveLength(200);
    const matched = matchRows(rows, s.samples, checkOpenai);
    expect([...matched.values()].map((x) => x.id).sort()).toEqual(s.samples.map((x) => x.id).sort());
    expect(rows.some((r) => JSON.stringify(r).includes('lengthy lengthy'))).toBe(true);
  });
});
