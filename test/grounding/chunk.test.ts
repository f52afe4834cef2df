import { describe, expect, it } from 'vitest';
import { chunkDocument, chunkDocuments } from '../../src/core/sources/chunk.js';
import { diffChunks } from '../../src/core/sources/diff.js';
import type { Document } from '../../src/core/sources/load.js';
import { countTokens } from '../../src/core/tokens.js';

const doc = (name: string, text: string, format: Document['format'] = 'markdown'): Document => ({ name, path: `/x/${name}`, format, text });
const sentence = (i: number) => `Sentence number ${i} explains one rule of the returns policy in plain words.`;
const paragraph = (from: number, n: number) => Array.from({ length: n }, (_, i) => sentence(from + i)).join(' ');

describe('chunking', () => {
  it('splits Markdown at headings first and carries the heading path', () => {
    const text = '# Guide\n\n## Returns\n\nReturn within 30 days.\n\n### Damaged items\n\nSend a photo.\n\n## Refunds\n\nRefunds take 5 days.\n';
    const chunks = chunkDocument(doc('g.md', text), { chunkTokens: 200, overlapTokens: 20 });
    expect(chunks.map((c) => [c.headings, c.text])).toEqual([
      [['Guide', 'Returns'], '# Guide\n\n## Returns\n\nReturn within 30 days.'],
      [['Guide', 'Returns', 'Damaged items'], '### Damaged items\n\nSend a photo.'],
      [['Guide', 'Refunds'], '## Refunds\n\nRefunds take 5 days.'],
    ]);
    for (const c of chunks) expect(text.slice(c.char_start, c.char_end)).toBe(c.text);
  });

  it('a heading inside a code fence is not a heading', () => {
    const text = '# Setup\n\n```sh\n# install\nnpm i\n```\n\nDone.';
    const chunks = chunkDocument(doc('s.md', text), { chunkTokens: 200, overlapTokens: 0 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.headings).toEqual(['Setup']);
  });

  it('chunks stay within chunk_tokens, overlap by at most overlap_tokens, and cover the text in order', () => {
    const text = Array.from({ length: 30 }, (_, p) => paragraph(p * 4, 4)).join('\n\n');
    const chunks = chunkDocument(doc('long.txt', text, 'text'), { chunkTokens: 120, overlapTokens: 40 });
    expect(chunks.length).toBeGreaterThan(8);
    for (const c of chunks) {
      expect(text.slice(c.char_start, c.char_end)).toBe(c.text);
      expect(countTokens(c.text)).toBeLessThanOrEqual(120 + 4);
    }
    for (let i = 1; i < chunks.length; i++) {
      const [a, b] = [chunks[i - 1]!, chunks[i]!];
      expect(b.char_start).toBeGreaterThan(a.char_start);
      expect(b.char_start).toBeLessThanOrEqual(a.char_end + 2); // no gap but the blank line
      if (b.char_start < a.char_end) expect(countTokens(text.slice(b.char_start, a.char_end))).toBeLessThanOrEqual(40 + 2);
    }
    expect(chunks.some((c, i) => i > 0 && c.char_start < chunks[i - 1]!.char_end)).toBe(true);
    expect(chunks.at(-1)?.char_end).toBe(text.length);
  });

  it('a paragraph longer than a chunk is cut at sentence ends, a run without sentences at spaces', () => {
    const long = paragraph(0, 40);
    const chunks = chunkDocument(doc('p.txt', long, 'text'), { chunkTokens: 60, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text.endsWith('words.')).toBe(true);
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}`).join(' ');
    const cut = chunkDocument(doc('w.txt', words, 'text'), { chunkTokens: 100, overlapTokens: 0 });
    for (const c of cut) expect(c.tokens).toBeLessThanOrEqual(100);
    expect(cut.map((c) => c.text).join(' ')).toBe(words);
    const letters = 'a'.repeat(50_000);
    const started = performance.now();
    const runs = chunkDocument(doc('a.txt', letters, 'text'), { chunkTokens: 100, overlapTokens: 0 });
    expect(runs.map((c) => c.text).join('')).toBe(letters);
    expect(performance.now() - started).toBeLessThan(5_000); // quadratic BPE would take minutes
  });

  it('identical chunks are dropped, ids are stable and differ by file', () => {
    const a = doc('a.md', '# A\n\nShared boilerplate paragraph.\n\n# B\n\nShared boilerplate paragraph.');
    const b = doc('b.md', '# A\n\nShared boilerplate paragraph.');
    const first = chunkDocuments([a, b], { chunkTokens: 100, overlapTokens: 0 });
    expect(first.chunks.map((c) => c.file)).toEqual(['a.md', 'a.md']);
    expect(first.droppedIdentical).toBe(1);
    const again = chunkDocuments([a, b], { chunkTokens: 100, overlapTokens: 0 });
    expect(again.chunks.map((c) => c.id)).toEqual(first.chunks.map((c) => c.id));
    expect(new Set(first.chunks.map((c) => c.id)).size).toBe(2);
    expect(chunkDocument(b, { chunkTokens: 100, overlapTokens: 0 })[0]?.id).not.toBe(first.chunks[0]?.id);
  });

  it('after a document changed, diffChunks says exactly which chunks are new, unchanged and removed', () => {
    const before = '# One\n\nFirst section stays.\n\n# Two\n\nSecond section will change.\n\n# Three\n\nThird stays too.';
    const after = before.replace('will change', 'has changed') + '\n\n# Four\n\nA new section.';
    const opts = { chunkTokens: 100, overlapTokens: 0 };
    const old = chunkDocument(doc('d.md', before), opts);
    const now = chunkDocument(doc('d.md', after), opts);
    const diff = diffChunks(old.map((c) => c.id), now);
    expect(diff.new.map((c) => c.headings[0])).toEqual(['Two', 'Four']);
    expect(diff.unchanged.map((c) => c.headings[0])).toEqual(['One', 'Three']);
    expect(diff.removed).toEqual([old[1]?.id]);
  });
});
