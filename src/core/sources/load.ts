/**
 * Reads the documents a `sources:` list names into plain text. `.md`/`.markdown` and `.txt` are read as
 * they are (UTF-8, BOM dropped, CRLF kept: offsets are into the text exactly as read), `.html`/`.htm`
 * through htmlToText, `.pdf` through pdf.js, `.jsonl` one document a line from its `text` field.
 * Chunk offsets (`char_start`, `char_end`) are into `Document.text`: the file itself for Markdown and
 * text, the extracted text for HTML, PDF and JSONL lines.
 */
import { readFileSync } from 'node:fs';
import { SourceError } from './errors.js';
import { resolveSourceFiles, type SourceFile } from './files.js';
import { htmlToText } from './html.js';
import { pdfToText } from './pdf.js';

export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf' | 'jsonl';

export interface Document {
  /** `guide/returns.md`, or `faq.jsonl#12` for line 12 of a JSONL file: what `source.file` says. */
  name: string;
  /** Absolute path of the file it came from. */
  path: string;
  format: DocumentFormat;
  text: string;
}

export interface LoadedDocuments {
  documents: Document[];
  /** Files read but left out, in words for the plan (`scan.pdf: no text layer`). */
  notes: string[];
}

export function documentFormat(path: string): DocumentFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html';
  if (lower.endsWith('.pdf')) return 'pdf';
  if (lower.endsWith('.jsonl')) return 'jsonl';
  return 'text';
}

/**
 * Every document of `sources`, paths relative to `baseDir` (the config file's folder). Throws a
 * SourceError naming the file for a missing path, an unreadable or encrypted PDF, a bad JSONL line, and
 * when no document has any text.
 */
export async function loadDocuments(sources: ReadonlyArray<{ path: string }>, baseDir: string): Promise<LoadedDocuments> {
  const files = resolveSourceFiles(sources, baseDir);
  const documents: Document[] = [];
  const notes: string[] = [];
  for (const file of files) {
    for (const doc of await readDocument(file)) {
      if (doc.text.trim().length === 0) notes.push(`${doc.name}: no text${doc.format === 'pdf' ? ' (a scan without a text layer?)' : ''}, skipped`);
      else documents.push(doc);
    }
  }
  if (documents.length === 0) {
    const names = files.map((f) => f.name);
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, and ${names.length - 3} more` : '');
    throw new SourceError(names.length === 1 ? (names[0] as string) : 'sources', `no text to ground samples on (${names.length === 1 ? 'the document is empty' : `every document is empty: ${shown}`})`);
  }
  return { documents, notes };
}

export async function readDocument(file: SourceFile): Promise<Document[]> {
  const format = documentFormat(file.path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch (err) {
    throw new SourceError(file.name, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const one = (text: string): Document[] => [{ name: file.name, path: file.path, format, text }];
  switch (format) {
    case 'pdf':
      return one(await pdfToText(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file.name));
    case 'html':
      return one(htmlToText(utf8(bytes)));
    case 'jsonl':
      return jsonlDocuments(utf8(bytes), file);
    default:
      return one(utf8(bytes));
  }
}

function utf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * One document per non-blank line: `{"text": "...", "id"?: "..."}` (other fields are ignored). Its name
 * is `FILE#ID` with the line's `id` when it has one (stable when lines are inserted), else `FILE#LINE`.
 */
function jsonlDocuments(content: string, file: SourceFile): Document[] {
  const out: Document[] = [];
  const lines = content.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new SourceError(`${file.name} line ${i + 1}`, 'not valid JSON');
    }
    const text = value && typeof value === 'object' && !Array.isArray(value) ? (value as { text?: unknown }).text : undefined;
    if (typeof text !== 'string') throw new SourceError(`${file.name} line ${i + 1}`, 'a document line needs a "text" field holding a string');
    const id = (value as { id?: unknown }).id;
    const key = typeof id === 'string' || typeof id === 'number' ? String(id) : String(i + 1);
    out.push({ name: `${file.name}#${key}`, path: file.path, format: 'jsonl', text });
  });
  return out;
}
