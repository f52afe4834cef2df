/**
 * Which files a `sources:` list names. Each entry is a file, a folder (searched recursively for the
 * document types we read) or a glob. Globs use tinyglobby (fdir + picomatch, no other dependencies):
 * Node 20 has no stable fs.glob, and `**`, braces and character classes are not worth re-implementing.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { SourceError } from './errors.js';

export const DOCUMENT_EXTENSIONS = ['.md', '.markdown', '.txt', '.html', '.htm', '.pdf', '.jsonl'] as const;

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** The name samples and chunk ids use: relative to the base directory, `/`-separated (absolute when outside it). */
  name: string;
}

export function isDocumentFile(path: string): boolean {
  const lower = path.toLowerCase();
  return DOCUMENT_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** A stable name for a file: relative to `baseDir` with `/` separators, so ids do not change between machines. */
export function sourceName(path: string, baseDir: string): string {
  const rel = relative(baseDir, path);
  const name = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  return name.split(sep).join('/');
}

/**
 * The files of every entry, each once, in name order. A missing file or folder, a folder or glob with no
 * document in it, or a file of a type we do not read is a SourceError naming it.
 */
export function resolveSourceFiles(sources: ReadonlyArray<{ path: string }>, baseDir: string): SourceFile[] {
  const seen = new Map<string, SourceFile>();
  for (const { path: entry } of sources) {
    for (const path of filesOf(entry, baseDir)) {
      if (!seen.has(path)) seen.set(path, { path, name: sourceName(path, baseDir) });
    }
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function filesOf(entry: string, baseDir: string): string[] {
  const absolute = resolve(baseDir, entry);
  const stat = statOrNull(absolute);
  if (stat?.isFile()) {
    if (!isDocumentFile(absolute)) throw new SourceError(entry, `not a document type synthloom reads (${DOCUMENT_EXTENSIONS.join(', ')})`);
    return [absolute];
  }
  if (stat?.isDirectory()) {
    const found = globSync(DOCUMENT_EXTENSIONS.map((ext) => `**/*${ext}`), { cwd: absolute, absolute: true, caseSensitiveMatch: false, dot: false });
    if (found.length === 0) throw new SourceError(entry, `the folder has no documents (${DOCUMENT_EXTENSIONS.join(', ')})`);
    return found.map((p) => resolve(p));
  }
  if (isDynamicPattern(entry)) {
    const found = globSync(entry, { cwd: baseDir, absolute: true, onlyFiles: true, dot: false }).filter(isDocumentFile);
    if (found.length === 0) throw new SourceError(entry, 'the pattern matches no documents');
    return found.map((p) => resolve(p));
  }
  throw new SourceError(entry, 'no such file or folder');
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
