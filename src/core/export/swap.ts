/**
 * dataset/ changes as a whole. An export is built in a sibling directory, `dataset.tmp-PID`, and swapped
 * in: the old dataset/ is renamed to `dataset.old-PID`, the new one renamed to dataset/, the old removed.
 * Each rename is atomic, so at every instant dataset/ is either the whole old export or the whole new one
 * (or, for the instant between the two renames, absent). A kill at any point leaves leftovers that the
 * next export (or `recoverDataset`) puts right: a staging directory whose manifest was written (it is
 * complete) replaces a missing dataset/; otherwise the old one is put back; abandoned staging is removed.
 */
import { syncDirectory } from '../files.js';
import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from './manifest.js';

export const DATASET_DIR = 'dataset';
const LEFTOVER = /^dataset\.(tmp|old)-(\d+)$/;

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Puts right what an interrupted export left in `sessionDir` (by processes that are gone). Returns what it
 * did, for a note. Safe to call at any time; an export in progress in another live process is left alone.
 */
export function recoverDataset(sessionDir: string): string[] {
  if (!existsSync(sessionDir)) return [];
  const done: string[] = [];
  const leftovers = readdirSync(sessionDir)
    .map((name) => ({ name, m: LEFTOVER.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null && !isAlive(Number(e.m[2])));
  const dataset = join(sessionDir, DATASET_DIR);
  if (!existsSync(dataset)) {
    // Killed between the two renames: a complete new export wins, else the old one comes back.
    const complete = leftovers.find((e) => e.m[1] === 'tmp' && existsSync(join(sessionDir, e.name, MANIFEST_FILE)));
    const old = leftovers.find((e) => e.m[1] === 'old');
    const use = complete ?? old;
    if (use) {
      renameSync(join(sessionDir, use.name), dataset);
      done.push(`${use.name} was left by an interrupted export: ${complete ? 'its complete new export' : 'the previous export'} is dataset/ again`);
    }
  }
  for (const e of leftovers) {
    const path = join(sessionDir, e.name);
    if (existsSync(path)) {
      rmSync(path, { recursive: true, force: true });
      done.push(`removed ${e.name}, left by an interrupted export`);
    }
  }
  if (done.length > 0) syncDirectory(sessionDir);
  return done;
}

/** A fresh, empty staging directory for this process's export. */
export function beginStaging(sessionDir: string): string {
  const staging = join(sessionDir, `${DATASET_DIR}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  return staging;
}

/** Removes a staging directory that will not be swapped in (the export failed). */
export function abandonStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}

/** What an export writes into dataset/ (and their temporary files): everything else there is the user's. */
const OWNED = /^(?:train\.jsonl|validation\.jsonl|test\.jsonl|dataset_info\.txt|README\.md|dataset_info\.json|axolotl\.yaml|quality\.json|\.export\.json)(?:\.tmp-\d+)?$/;

/**
 * Copies the files in dataset/ that the export does not own (a user's notes) into the staging directory,
 * so the swap keeps them. Hard links where possible (no copy of the bytes).
 */
export function carryOver(sessionDir: string, staging: string): void {
  const dataset = join(sessionDir, DATASET_DIR);
  if (!existsSync(dataset)) return;
  for (const name of readdirSync(dataset)) {
    if (OWNED.test(name)) continue;
    const from = join(dataset, name);
    const to = join(staging, name);
    try {
      linkSync(from, to);
    } catch {
      cpSync(from, to, { recursive: true });
    }
  }
}

/** Swaps a complete staging directory (its manifest written last) in as dataset/. Returns dataset/'s path. */
export function swapIn(sessionDir: string, staging: string): string {
  syncDirectory(staging);
  const dataset = join(sessionDir, DATASET_DIR);
  const aside = join(sessionDir, `${DATASET_DIR}.old-${process.pid}`);
  rmSync(aside, { recursive: true, force: true });
  const hadOld = existsSync(dataset);
  if (hadOld) renameSync(dataset, aside);
  try {
    renameSync(staging, dataset);
  } catch (err) {
    if (hadOld) renameSync(aside, dataset);
    throw err;
  }
  syncDirectory(sessionDir);
  if (hadOld) rmSync(aside, { recursive: true, force: true });
  return dataset;
}
