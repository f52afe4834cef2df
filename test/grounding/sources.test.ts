import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { SourceError } from '../../src/core/sources/errors.js';
import { resolveSourceFiles } from '../../src/core/sources/files.js';
import { htmlToText } from '../../src/core/sources/html.js';
import { loadDocuments } from '../../src/core/sources/load.js';
import { makePdf } from '../fixtures/grounding/pdf.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'synthloom-sources-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): void {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), content);
}

async function refusal(sources: { path: string }[]): Promise<SourceError> {
  const err = await loadDocuments(sources, dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(2);
  expect((err as Error).message).not.toContain('\n');
  return err as SourceError;
}

describe('documents from files, folders and globs', () => {
  it('reads Markdown, text, HTML, PDF and JSONL from a folder, named relative to the config folder', async () => {
    write('docs/guide.md', '# Returns\n\nItems can be returned within 30 days.\n');
    write('docs/notes.txt', 'Refunds take 5 business days.');
    write('docs/page.html', '<html><head><title>Shipping</title><style>p{color:red}</style><script>var x = "hidden";</script></head><body><h2>Rates</h2><p>Standard shipping costs &euro;4.95 &amp; takes 3 days.</p></body></html>');
    write('docs/manual.pdf', makePdf([['The warranty lasts 2 years.', 'Keep the receipt.'], ['Page two text.']]));
    write('docs/faq.jsonl', '{"text": "Gift cards never expire.", "id": "gift"}\n\n{"text": "Orders ship from Lyon."}\n');
    write('docs/image.png', 'not a document');
    const { documents, notes } = await loadDocuments([{ path: 'docs' }], dir);
    expect(notes).toEqual([]);
    expect(documents.map((d) => [d.name, d.format])).toEqual([
      ['docs/faq.jsonl#gift', 'jsonl'],
      ['docs/faq.jsonl#3', 'jsonl'],
      ['docs/guide.md', 'markdown'],
      ['docs/manual.pdf', 'pdf'],
      ['docs/notes.txt', 'text'],
      ['docs/page.html', 'html'],
    ]);
    const byName = new Map(documents.map((d) => [d.name, d.text]));
    expect(byName.get('docs/manual.pdf')).toBe('The warranty lasts 2 years.\nKeep the receipt.\n\nPage two text.');
    expect(byName.get('docs/guide.md')).toBe('# Returns\n\nItems can be returned within 30 days.\n');
    const html = byName.get('docs/page.html') as string;
    expect(html).toBe('# Shipping\n\n## Rates\n\nStandard shipping costs €4.95 & takes 3 days.');
  });

  it('globs, single files, and each file once when entries overlap', () => {
    write('a/one.md', 'x');
    write('a/deep/two.md', 'y');
    write('b/three.txt', 'z');
    const files = resolveSourceFiles([{ path: 'a/**/*.md' }, { path: 'a/one.md' }, { path: 'b/three.txt' }], dir);
    expect(files.map((f) => f.name)).toEqual(['a/deep/two.md', 'a/one.md', 'b/three.txt']);
  });

  it('html: scripts, styles and comments are not text; lists and breaks are lines', () => {
    const text = htmlToText('<body><!-- note --><ul><li>One</li><li>Two &lt;b&gt;</li></ul>Line<br>Next<noscript>no</noscript></body>');
    expect(text).toBe('- One\n- Two <b>\nLine\nNext');
  });
});

describe('bad sources: one line naming the file, exit code 2', () => {
  it('a missing folder', async () => {
    const err = await refusal([{ path: 'nowhere' }]);
    expect(err.message).toBe('nowhere: no such file or folder');
  });

  it('a folder with no documents, and a glob matching none', async () => {
    write('empty/readme.png', 'x');
    expect((await refusal([{ path: 'empty' }])).message).toMatch(/^empty: the folder has no documents/);
    expect((await refusal([{ path: 'empty/*.md' }])).message).toBe('empty/*.md: the pattern matches no documents');
  });

  it('an encrypted PDF', async () => {
    write('locked.pdf', makePdf([['secret']], { encrypted: true }));
    expect((await refusal([{ path: 'locked.pdf' }])).message).toBe('locked.pdf: the PDF is encrypted (password protected); decrypt it or export its text first');
  });

  it('an unreadable PDF', async () => {
    write('broken.pdf', '%PDF-1.4\nthis is not a pdf at all');
    expect((await refusal([{ path: 'broken.pdf' }])).message).toBe('broken.pdf: not a readable PDF (invalid PDF structure)');
  });

  it('an empty document set', async () => {
    write('set/a.md', '   \n');
    write('set/b.txt', '');
    expect((await refusal([{ path: 'set' }])).message).toBe('sources: no text to ground samples on (every document is empty: set/a.md, set/b.txt)');
    write('set/c.txt', 'now there is text');
    const { documents, notes } = await loadDocuments([{ path: 'set' }], dir);
    expect(documents.map((d) => d.name)).toEqual(['set/c.txt']);
    expect(notes).toEqual(['set/a.md: no text, skipped', 'set/b.txt: no text, skipped']);
  });

  it('a JSONL line without text', async () => {
    write('docs.jsonl', '{"text": "fine"}\n{"body": "no text field"}\n');
    expect((await refusal([{ path: 'docs.jsonl' }])).message).toBe('docs.jsonl line 2: a document line needs a "text" field holding a string');
  });

  it('a file type we do not read', async () => {
    write('sheet.csv', 'a,b');
    expect((await refusal([{ path: 'sheet.csv' }])).message).toMatch(/^sheet\.csv: not a document type synthloom reads/);
  });
});
