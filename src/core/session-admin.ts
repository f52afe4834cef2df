/**
 * Session operations from the home screen: rename, duplicate as a new session, delete, and the details an
 * open session shows. Each works on one session directory under the sessions root and refuses anything else:
 * a path that is not a direct child of the root, a symlinked session directory, a session that a live process
 * holds. Directories change as a whole (rename, or a copy built beside the target and renamed into place);
 * a delete first renames the session out of the listing, then removes it without following symlinks, so a
 * link inside a session that points elsewhere is removed as a link and its target is untouched.
 */
import { cpSync, existsSync, lstatSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { UsageError } from './errors.js';
import { writeFileAtomic } from './files.js';
import { lockIsLive } from './lock.js';
import { FILES, readFailures, readSessionFile } from './session/index.js';
import type { FailureKind } from './types.js';

const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** The real path of a session directory, checked to be a plain directory directly under `root`. */
function checkedSession(root: string, dir: string): string {
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such session`);
  if (lstatSync(dir).isSymbolicLink()) throw new UsageError(`${dir} is a symbolic link, not a session directory: not touched`);
  const real = realpathSync(dir);
  const realRoot = realpathSync(root);
  if (dirname(real) !== realRoot) throw new UsageError(`${dir} is not a session directly under ${root}: not touched`);
  const file = join(real, FILES.session);
  if (!existsSync(file) || lstatSync(file).isSymbolicLink()) throw new UsageError(`${dir} is not a synthloom session (no ${FILES.session})`);
  if (lockIsLive(join(real, FILES.lock))) throw new UsageError(`${basename(dir)} is in use by a running synthloom: stop it first`);
  return real;
}

function checkedName(root: string, name: string): string {
  const trimmed = name.trim();
  if (!SESSION_NAME.test(trimmed)) {
    throw new UsageError('session name: use letters, digits, dot, dash or underscore, starting with a letter or digit');
  }
  if (existsSync(join(root, trimmed))) throw new UsageError(`session name: ${trimmed} exists already in ${root}`);
  return trimmed;
}

/** Writes `name` into session.yaml and plan.yaml (their `name` and `config.name`), atomically each. */
function setNames(dir: string, name: string): void {
  for (const file of [FILES.session, FILES.plan]) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const doc = parseYaml(readFileSync(path, 'utf8'), { maxAliasCount: -1 }) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') continue;
    if ('name' in doc) doc.name = name;
    const config = doc.config as Record<string, unknown> | undefined;
    if (config && typeof config === 'object' && 'name' in config) config.name = name;
    writeFileAtomic(path, stringifyYaml(doc, { aliasDuplicateObjects: false }));
  }
}

/** Renames the session directory and the name inside it; returns the new directory. */
export function renameSession(root: string, dir: string, name: string): string {
  const from = checkedSession(root, dir);
  const to = join(realpathSync(root), checkedName(root, name));
  renameSync(from, to);
  setNames(to, basename(to));
  return to;
}

/** Copies the session (samples, failures, plan: everything but its lock) to a new session; returns its directory. */
export function duplicateSession(root: string, dir: string, name: string): string {
  const from = checkedSession(root, dir);
  const target = checkedName(root, name);
  const realRoot = realpathSync(root);
  const building = join(realRoot, `.${target}.copy-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  try {
    cpSync(from, building, {
      recursive: true,
      verbatimSymlinks: true, // a link is copied as a link, never as what it points to
      filter: (src) => basename(src) !== FILES.lock,
    });
    setNames(building, target);
    const to = join(realRoot, target);
    renameSync(building, to);
    return to;
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
}

/** Removes the session directory and nothing outside it. */
export function deleteSession(root: string, dir: string): void {
  const real = checkedSession(root, dir);
  // Out of the listing at once; a crash mid-delete leaves a hidden folder, never half a session.
  const doomed = join(dirname(real), `.${basename(real)}.deleting-${process.pid}`);
  renameSync(real, doomed);
  rmSync(doomed, { recursive: true, force: true });
}

export interface SessionDetails {
  /** `Task  customer support`-style rows of the approved config. */
  config: [string, string][];
  /** Failed attempts per kind, most first. */
  failures: { kind: FailureKind; count: number }[];
  /** The newest failure messages, newest last. */
  lastMessages: { kind: FailureKind; message: string; at: string }[];
  reason: string | null;
}

export function sessionDetails(dir: string, lastCount = 3): SessionDetails {
  const s = readSessionFile(dir);
  const c = s.config;
  const categories = c.topics.categories.map((k) => (k.weight !== 1 ? `${k.name} ×${k.weight}` : k.name)).join(', ');
  const failures = readFailures(dir);
  const counts = new Map<FailureKind, number>();
  for (const f of failures) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return {
    config: [
      ['Task', `${c.task} · ${c.domain}`],
      ['Size', `${c.size} ${c.conversation.type} examples · ${Math.round(c.conversation.multi_turn * 100)}% multi-turn`],
      ['Style', `${c.tone} · ${c.response_length} · ${c.complexity}${c.special_formats.length ? ` · ${c.special_formats.join(', ')}` : ''}`],
      ['Topics', categories || `chosen by the model (depth ${c.topics.depth})`],
      ['Export', `${c.format} · splits ${[c.splits.train, c.splits.validation, c.splits.test].map((x) => Math.round(x * 100)).join('/')}`],
    ],
    failures: [...counts].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count),
    lastMessages: failures.slice(-lastCount).map((f) => ({ kind: f.kind, message: f.message, at: f.at })),
    reason: s.reason ?? null,
  };
}
