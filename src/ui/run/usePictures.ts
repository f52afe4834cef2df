/**
 * The numbers behind the dashboard's pictures, from what the run already gives the UI: accepted-sample
 * events (throughput per interval, samples per category), the session's samples.jsonl once at mount (a
 * resumed run's earlier samples) and plan.yaml's per-category targets. Nothing here changes the run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEffect, useRef, useState } from 'react';
import { parse } from 'yaml';
import type { EventBus } from '../../core/events.js';
import { forEachLine } from '../../core/files.js';
import type { CategoryRow } from './CategoryBars.js';

export const THROUGHPUT_INTERVAL_S = 5;
/** Intervals kept: 10 minutes at 5 s. */
const KEPT = 120;

export interface Pictures {
  throughput: number[];
  categories: CategoryRow[];
}

/** Per-category targets from plan.yaml (`categories: [{name, target}]`), or null when unreadable. */
export function planTargets(dir: string): Map<string, number> | null {
  const file = join(dir, 'plan.yaml');
  if (!existsSync(file)) return null;
  try {
    const plan = parse(readFileSync(file, 'utf8')) as { categories?: { name?: unknown; target?: unknown }[] };
    if (!Array.isArray(plan?.categories)) return null;
    const targets = new Map<string, number>();
    for (const c of plan.categories) if (typeof c.name === 'string' && typeof c.target === 'number') targets.set(c.name, c.target);
    return targets;
  } catch {
    return null;
  }
}

/** Samples per category already in samples.jsonl (a torn or odd line is skipped). */
export function countCategories(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  forEachLine(join(dir, 'samples.jsonl'), ({ line, terminated }) => {
    if (!terminated) return;
    try {
      const category = (JSON.parse(line) as { category?: unknown }).category;
      if (typeof category === 'string') counts.set(category, (counts.get(category) ?? 0) + 1);
    } catch {
      // not a sample line: the engine's own recovery deals with it
    }
  });
  return counts;
}

/** Rows in the plan's order, then categories seen that the plan does not name. */
export function categoryRows(done: ReadonlyMap<string, number>, targets: ReadonlyMap<string, number> | null): CategoryRow[] {
  const rows: CategoryRow[] = [];
  for (const [name, target] of targets ?? []) rows.push({ name, done: done.get(name) ?? 0, target });
  for (const [name, n] of done) if (!targets?.has(name)) rows.push({ name, done: n, target: null });
  return rows;
}

/** Adds one accepted sample at `atMs` to interval counts that started at `startMs`. */
export function addToBuckets(buckets: number[], startMs: number, atMs: number, intervalS = THROUGHPUT_INTERVAL_S): number[] {
  const index = Math.max(0, Math.floor((atMs - startMs) / (intervalS * 1000)));
  const next = buckets.slice();
  while (next.length <= index) next.push(0);
  next[index] = (next[index] ?? 0) + 1;
  return next;
}

export function usePictures(events: EventBus, dir: string, now: () => number = Date.now): Pictures {
  const start = useRef(now());
  const done = useRef<Map<string, number> | null>(null);
  const targets = useRef<Map<string, number> | null>(null);
  const buckets = useRef<number[]>([]);
  const [pictures, setPictures] = useState<Pictures>({ throughput: [], categories: [] });
  useEffect(() => {
    done.current = countCategories(dir);
    targets.current = planTargets(dir);
    const publish = (): void => {
      // Intervals with nothing accepted up to now count as 0, so a stall shows as a flat line.
      const all = addToBuckets(buckets.current, start.current, now());
      all[all.length - 1]! -= 1;
      setPictures({ throughput: all.slice(-KEPT), categories: categoryRows(done.current!, targets.current) });
    };
    publish();
    const timer = setInterval(publish, THROUGHPUT_INTERVAL_S * 1000);
    let published = 0;
    const off = events.on((event) => {
      if (event.type !== 'sample_accepted') return;
      buckets.current = addToBuckets(buckets.current, start.current, now());
      const map = done.current!;
      map.set(event.sample.category, (map.get(event.sample.category) ?? 0) + 1);
      targets.current ??= planTargets(dir); // a new run writes plan.yaml as it starts
      // At most 4 redraws a second however fast samples come; the interval timer catches the rest.
      if (now() - published >= 250) {
        published = now();
        publish();
      }
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }, [events, dir, now]);
  return pictures;
}
