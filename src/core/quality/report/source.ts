/**
 * Where a quality report reads its rows: a JSONL file, or a session directory (its samples.jsonl without
 * the ids removed.jsonl lists, and the targets of its plan.yaml when there is one). Unreadable input is a
 * UsageError naming the path (exit 2, one line).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../errors.js';
import { forEachJsonl } from '../../export/jsonl.js';
import { isRecord } from '../../validate/problems.js';

export interface PlanTargets {
  categories: { name: string; target: number }[];
  /** Planned slots by number of user turns. */
  turns: { turns: number; target: number }[];
}

export interface ReportSource {
  path: string;
  kind: 'file' | 'session';
  /** The JSONL file the rows come from (line numbers refer to it). */
  file: string;
  /** Sample ids to leave out (a session's removed.jsonl). */
  removed: ReadonlySet<string>;
  plan: PlanTargets | null;
}

function readable(file: string, label: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${label} not found: ${file}` : `cannot read ${file}: ${code ?? 'error'}`);
  }
  try {
    readSync(fd, Buffer.alloc(1), 0, 1, 0);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    closeSync(fd);
  }
}

export function openSource(path: string): ReportSource {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `not found: ${path}` : `cannot read ${path}: ${code ?? 'error'}`);
  }
  if (!isDir) {
    readable(path, 'file');
    return { path, kind: 'file', file: path, removed: new Set(), plan: null };
  }
  const file = join(path, 'samples.jsonl');
  if (!existsSync(join(path, 'session.yaml')) && !existsSync(file)) {
    throw new UsageError(`${path} is a directory but not a session (no session.yaml or samples.jsonl)`);
  }
  readable(file, 'samples file');
  const removed = new Set<string>();
  forEachJsonl(join(path, 'removed.jsonl'), (value) => {
    if (isRecord(value) && typeof value.id === 'string') removed.add(value.id);
  });
  return { path, kind: 'session', file, removed, plan: readPlanTargets(join(path, 'plan.yaml')) };
}

/** Category targets and turn counts from plan.yaml, read defensively (null when absent or unrecognised). */
export function readPlanTargets(planPath: string): PlanTargets | null {
  if (!existsSync(planPath)) return null;
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(planPath, 'utf8'));
  } catch {
    return null;
  }
  if (!isRecord(doc)) return null;
  const categories = Array.isArray(doc.categories)
    ? doc.categories.filter(isRecord).flatMap((c) => (typeof c.name === 'string' && typeof c.target === 'number' ? [{ name: c.name, target: c.target }] : []))
    : [];
  const turns: PlanTargets['turns'] = [];
  const axes = Array.isArray(doc.axes) ? doc.axes.filter(isRecord) : [];
  const axis = axes.find((a) => a.name === 'turns');
  for (const v of Array.isArray(axis?.values) ? axis.values.filter(isRecord) : []) {
    const label = String(v.value);
    const n = label === 'single-turn' ? 1 : Number.parseInt(label, 10);
    if (Number.isFinite(n) && typeof v.count === 'number') turns.push({ turns: n, target: v.count });
  }
  if (categories.length === 0 && turns.length === 0) return null;
  return { categories, turns: turns.sort((a, b) => a.turns - b.turns) };
}
