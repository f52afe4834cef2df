/**
 * The export files `synthloom push` uploads, and their hashes: the sha256 the Hub keys LFS files by and
 * the git blob id it gives regular files, so a file is compared with the remote one without downloading it.
 * Only the files the export writes are pushed (a note a user keeps in dataset/ stays private).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../core/errors.js';

/** What an export writes (quality.json is the export's quality report of the samples), in the order they are listed. */
export const PUSHED_FILES = ['README.md', 'train.jsonl', 'validation.jsonl', 'test.jsonl', 'dataset_info.txt', 'dataset_info.json', 'axolotl.yaml', 'quality.json'] as const;

export interface LocalFile {
  name: string;
  path: string;
  size: number;
  /** Set for README.md: the card with the repo id in its recipes, uploaded instead of the file's bytes. */
  content?: Buffer;
  sha256: string;
  /** git's blob id: sha1 of "blob SIZE\0" + content. */
  gitOid: string;
}

async function hashes(source: string | Buffer, size: number): Promise<{ sha256: string; gitOid: string }> {
  const sha256 = createHash('sha256');
  const git = createHash('sha1').update(`blob ${size}\0`);
  if (typeof source !== 'string') {
    sha256.update(source);
    git.update(source);
  } else {
    for await (const chunk of createReadStream(source)) {
      sha256.update(chunk as Buffer);
      git.update(chunk as Buffer);
    }
  }
  return { sha256: sha256.digest('hex'), gitOid: git.digest('hex') };
}

/** The data_files the card's front matter names (what load_dataset will read). */
function cardDataFiles(card: string): string[] {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!m) return [];
  const meta = parseYaml(m[1] as string) as { configs?: { data_files?: { path?: string }[] }[] } | null;
  return (meta?.configs ?? []).flatMap((c) => (c.data_files ?? []).map((f) => String(f.path)));
}

/** Refuses a session without an export before anything is sent to the Hub. */
export function checkExport(datasetDir: string, sessionDir: string): void {
  if (!existsSync(join(datasetDir, 'README.md')) || !existsSync(join(datasetDir, 'train.jsonl'))) {
    throw new UsageError(`${sessionDir} has no export to push (no dataset/README.md and train.jsonl): run synthloom export ${sessionDir} first`);
  }
}

/** The export's files in dataset/, hashed; README.md with `placeholder` replaced by `repo`. */
export async function localFiles(datasetDir: string, sessionDir: string, placeholder: string, repo: string): Promise<LocalFile[]> {
  checkExport(datasetDir, sessionDir);
  const out: LocalFile[] = [];
  for (const name of PUSHED_FILES) {
    const path = join(datasetDir, name);
    if (!existsSync(path) || !statSync(path).isFile()) continue;
    if (name === 'README.md') {
      const card = readFileSync(path, 'utf8');
      for (const file of cardDataFiles(card)) {
        if (!existsSync(join(datasetDir, file))) throw new UsageError(`dataset/README.md names ${file}, which is not in dataset/: run synthloom export ${sessionDir} again`);
      }
      const content = Buffer.from(card.split(placeholder).join(repo), 'utf8');
      out.push({ name, path, size: content.length, content, ...(await hashes(content, content.length)) });
      continue;
    }
    const size = statSync(path).size;
    out.push({ name, path, size, ...(await hashes(path, size)) });
  }
  return out;
}
