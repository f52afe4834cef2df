/**
 * Text of a PDF with pdfjs-dist's legacy build (5.0.x: runs on Node 20; 6.x needs Node 22). In Node it
 * runs its worker in-process, so there is no worker file to ship; nothing is rendered, so no canvas is
 * used. Pages are separated by a blank line; lines end where pdf.js says a text item ends a line.
 */
import { SourceError } from './errors.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** Loaded on first use: most runs have no PDF, and the module is large. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

export async function pdfToText(data: Uint8Array, file: string): Promise<string> {
  const lib = await loadPdfJs();
  let doc: Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
  try {
    doc = await lib.getDocument({
      data,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    }).promise;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'PasswordException') throw new SourceError(file, 'the PDF is encrypted (password protected); decrypt it or export its text first');
    throw new SourceError(file, `not a readable PDF (${name === 'InvalidPDFException' ? 'invalid PDF structure' : firstLine(err)})`);
  }
  try {
    const pages: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
      }
      pages.push(text.replace(/[ \t]+\n/g, '\n').trim());
      page.cleanup();
    }
    return pages.filter(Boolean).join('\n\n');
  } catch (err) {
    throw new SourceError(file, `the PDF's text could not be read (${firstLine(err)})`);
  } finally {
    await doc.destroy();
  }
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}
