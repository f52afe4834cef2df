/**
 * Documents into chunks of about `chunk_tokens` tokens with `overlap_tokens` of overlap.
 *
 * 1. Markdown is split at ATX headings first (`#` .. `######`, not inside ``` or ~~~ fences); each
 *    section carries its heading path. A section that is only a heading joins the next one.
 * 2. A section is cut into units at blank lines (paragraphs, code blocks whole); a unit longer than a
 *    chunk is cut at sentence ends, and a sentence longer than a chunk at spaces.
 * 3. Units are packed greedily into chunks within one section; the next chunk starts with the last units
 *    of the previous one that fit in `overlap_tokens`.
 *
 * Each unit is counted once (countTokens is linear), so a chunk's `tokens` is the sum of its units: the
 * blank lines between them are not counted (a token or two a unit). A chunk's text is exactly
 * `document.text.slice(char_start, char_end)`. Chunks with the same text as an earlier chunk (documents in
 * name order) are dropped.
 */
import { createHash } from 'node:crypto';
import { countTokens } from '../tokens.js';
import type { Document } from './load.js';

export interface ChunkOptions {
  chunkTokens: number;
  overlapTokens: number;
}

export interface Chunk {
  /** Stable: from the document name, the heading path and the text's hash. */
  id: string;
  /** The document's name (`source.file`). */
  file: string;
  /** Position within its document, from 0 (before identical chunks are dropped). */
  index: number;
  /** Markdown headings from the top level down to this chunk's section; empty elsewhere. */
  headings: string[];
  text: string;
  char_start: number;
  char_end: number;
  tokens: number;
  /** sha256 of the text, 16 hex digits. */
  hash: string;
}

interface Unit {
  start: number;
  end: number;
  tokens: number;
}

interface Section {
  headings: string[];
  units: Unit[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SENTENCE_END = /[.!?\u3002\uff01\uff1f]["'\u201d\u2019)\]]*\s+|\n/g;

export function chunkDocuments(documents: readonly Document[], opts: ChunkOptions): { chunks: Chunk[]; droppedIdentical: number } {
  const seen = new Set<string>();
  const chunks: Chunk[] = [];
  let droppedIdentical = 0;
  for (const doc of documents) {
    for (const chunk of chunkDocument(doc, opts)) {
      if (seen.has(chunk.hash)) {
        droppedIdentical++;
        continue;
      }
      seen.add(chunk.hash);
      chunks.push(chunk);
    }
  }
  return { chunks, droppedIdentical };
}

export function chunkDocument(doc: Document, opts: ChunkOptions): Chunk[] {
  const limit = Math.max(1, opts.chunkTokens);
  const overlap = Math.max(0, Math.min(opts.overlapTokens, limit - 1));
  const chunks: Chunk[] = [];
  for (const section of sectionsOf(doc.text, doc.format === 'markdown' || doc.format === 'html', limit)) {
    const units = section.units;
    let i = 0;
    let head: Unit | null = null;
    while (i < units.length) {
      if (head && head.tokens + (units[i] as Unit).tokens > limit) head = null;
      let sum = head?.tokens ?? 0;
      let j = i;
      while (j < units.length && ((head === null && j === i) || sum + (units[j] as Unit).tokens <= limit)) sum += (units[j++] as Unit).tokens;
      chunks.push(makeChunk(doc, chunks.length, section.headings, head ?? (units[i] as Unit), units[j - 1] as Unit, sum));
      if (j >= units.length) break;
      // Overlap: the last whole units that fit, or else the last sentences of the last unit.
      let k = j;
      let carried = 0;
      while (k - 1 > i && carried + (units[k - 1] as Unit).tokens <= overlap) carried += (units[--k] as Unit).tokens;
      head = k === j && overlap > 0 ? tailOf(doc.text, units[j - 1] as Unit, overlap) : null;
      i = k;
    }
  }
  return chunks;
}

function makeChunk(doc: Document, index: number, headings: string[], first: Unit, last: Unit, tokens: number): Chunk {
  const text = doc.text.slice(first.start, last.end);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return { id: chunkId(doc.name, headings, hash), file: doc.name, index, headings, text, char_start: first.start, char_end: last.end, tokens, hash };
}

/** `ch_` and 16 hex digits of sha256(file, heading path, text hash): the same chunk of the same file keeps its id. */
export function chunkId(file: string, headings: readonly string[], hash: string): string {
  return `ch_${createHash('sha256').update(`${file}\u0000${headings.join('\u0001')}\u0000${hash}`).digest('hex').slice(0, 16)}`;
}

/** Sections (split at headings when `markdown`) of units no longer than `limit` tokens. */
function sectionsOf(text: string, markdown: boolean, limit: number): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let current: Section = { headings: [], units: [] };
  let onlyHeadings = true;
  let unitStart = -1;
  let unitEnd = -1;
  let fence: string | null = null;
  const closeUnit = () => {
    if (unitStart >= 0) addUnit(text, unitStart, unitEnd, limit, current.units);
    if (unitStart >= 0) onlyHeadings = false;
    unitStart = -1;
  };
  for (let at = 0; at <= text.length; ) {
    let next = text.indexOf('\n', at);
    if (next < 0) next = text.length;
    const end = next > at && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    const line = text.slice(at, end);
    if (markdown) {
      const f = FENCE.exec(line);
      if (f) {
        const mark = (f[1] as string)[0] as string;
        if (fence === null) fence = mark;
        else if (fence === mark) fence = null;
      }
    }
    const heading = markdown && fence === null ? ATX.exec(line) : null;
    if (heading) {
      closeUnit();
      if (!onlyHeadings) sections.push(current);
      const level = (heading[1] as string).length;
      path.length = Math.min(path.length, level - 1);
      while (path.length < level - 1) path.push('');
      path.push((heading[2] ?? '').trim());
      const carried = onlyHeadings ? current.units : [];
      current = { headings: path.filter(Boolean), units: carried };
      onlyHeadings = true;
      if (end > at) current.units.push({ start: at, end, tokens: countTokens(line) });
    } else if (fence === null && line.trim() === '') {
      closeUnit();
    } else {
      if (unitStart < 0) unitStart = at;
      unitEnd = end;
    }
    at = next + 1;
  }
  closeUnit();
  if (current.units.length > 0) sections.push(current);
  return sections;
}

/** The longest run of whole sentences ending `unit` that has at most `overlap` tokens, or null. */
function tailOf(text: string, unit: Unit, overlap: number): Unit | null {
  const body = text.slice(unit.start, unit.end);
  const starts: number[] = [];
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(body); m; m = SENTENCE_END.exec(body)) {
    const at = m.index + m[0].length;
    if (at < body.length) starts.push(at);
  }
  let best: Unit | null = null;
  let tokens = 0;
  let end = unit.end;
  // Each sentence counted once, as units are: the tail's tokens are the sum of its sentences.
  for (let s = starts.length - 1; s >= 0; s--) {
    const start = unit.start + (starts[s] as number);
    tokens += countTokens(text.slice(start, end));
    if (tokens > overlap) break;
    best = { start, end: unit.end, tokens };
    end = start;
  }
  return best;
}

/** Adds text[start, end) as one unit, or as sentence (and, failing that, word-run) pieces when it is too long. */
function addUnit(text: string, start: number, end: number, limit: number, units: Unit[]): void {
  const tokens = countTokens(text.slice(start, end));
  if (tokens <= limit) {
    units.push({ start, end, tokens });
    return;
  }
  const body = text.slice(start, end);
  let from = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(body); ; m = SENTENCE_END.exec(body)) {
    const to = m ? m.index + m[0].length : body.length;
    const piece = body.slice(from, to).trimEnd();
    if (piece.trim()) {
      const pieceStart = start + from + (piece.length - piece.trimStart().length);
      const pieceEnd = start + from + piece.length;
      const n = countTokens(text.slice(pieceStart, pieceEnd));
      if (n <= limit) units.push({ start: pieceStart, end: pieceEnd, tokens: n });
      else hardSplit(text, pieceStart, pieceEnd, n, limit, units);
    }
    from = to;
    if (!m || to >= body.length) break;
  }
}

/** A run with no sentence end: pieces of about `limit` tokens, cut at a space where there is one. */
function hardSplit(text: string, start: number, end: number, tokens: number, limit: number, units: Unit[]): void {
  let at = start;
  let charsPerToken = (end - start) / Math.max(1, tokens);
  while (at < end) {
    let size = Math.max(1, Math.floor(limit * charsPerToken * 0.95));
    for (;;) {
      let cut = Math.min(end, at + size);
      if (cut < end) {
        const space = text.lastIndexOf(' ', cut);
        if (space > at + size / 2) cut = space;
      }
      const n = countTokens(text.slice(at, cut));
      if (n <= limit || cut - at <= 1) {
        units.push({ start: at, end: cut, tokens: n });
        if (n > 0) charsPerToken = (cut - at) / n;
        at = cut;
        while (at < end && text.charCodeAt(at) === 32) at++;
        break;
      }
      size = Math.max(1, Math.floor(size * 0.8));
    }
  }
}
