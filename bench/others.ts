/**
 * The benchmarks other parts own, wired in when their files are present: bench/resume.ts (`benchResume`,
 * issue 3: open a 100,000-sample session and compute what is left in < 1 s) and bench/tui.ts (`benchTui`,
 * issue 6: a 2,000-sample run under the TUI within 1.15x of headless).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixed, type BenchOutcome, type Figure } from './report.js';
import { ROOT } from './paths.js';

/** Imports bench/<file> if it exists; the specifier is a variable so a missing file is not a compile error. */
async function load(file: string): Promise<Record<string, unknown> | null> {
  if (!existsSync(join(ROOT, 'bench', file))) return null;
  const specifier = `./${file.replace(/\.ts$/, '.js')}`;
  return (await import(specifier)) as Record<string, unknown>;
}

const missing = (bench: string, figure: string, target: string, file: string): BenchOutcome => ({
  figures: [{ bench, figure, target, result: `not run (${file} missing)`, pass: null }],
  notes: [],
});

/** Seconds from a result object: `seconds`, `*S` (seconds) or `*Ms` fields, first match wins. */
export function secondsOf(result: unknown): number | null {
  if (typeof result === 'number') return result;
  if (!result || typeof result !== 'object') return null;
  const entries = Object.entries(result as Record<string, unknown>).filter(([, v]) => typeof v === 'number') as [string, number][];
  const s = entries.find(([k]) => k === 'seconds' || /S$/.test(k));
  if (s) return s[1];
  const ms = entries.find(([k]) => /Ms$/.test(k));
  return ms ? ms[1] / 1000 : null;
}

export async function benchResumeFigure(): Promise<BenchOutcome> {
  const figure = 'resume: open 100,000-sample session';
  const mod = await load('resume.ts');
  const fn = mod?.benchResume;
  if (typeof fn !== 'function') return missing('resume', figure, '< 1 s', 'bench/resume.ts');
  const result: unknown = await (fn as () => Promise<unknown>)();
  const seconds = secondsOf(result);
  const figures: Figure[] = [{ bench: 'resume', figure, target: '< 1 s', result: seconds === null ? 'no time reported' : `${fixed(seconds, 3)} s`, pass: seconds === null ? null : seconds < 1 }];
  const dedupMs = (result as { dedupMs?: unknown } | null)?.dedupMs;
  if (typeof dedupMs === 'number' && seconds !== null) {
    // createRun also rebuilds the duplicate index before the engine starts: what a user waits for in all.
    figures.push({ bench: 'resume', figure: '  plus the duplicate-index rebuild', target: '(reported)', result: `${fixed(seconds + dedupMs / 1000, 3)} s`, pass: null });
  }
  return { figures, notes: [`resume: ${JSON.stringify(result)}`] };
}

export async function benchTuiFigure(): Promise<BenchOutcome> {
  const figure = 'TUI: 2,000 samples, TUI / headless time';
  const mod = await load('tui.ts');
  const fn = mod?.benchTui;
  if (typeof fn !== 'function') return missing('tui', figure, '<= 1.15', 'bench/tui.ts');
  const r = (await (fn as () => Promise<{ headlessS: number; tuiS: number; ratio: number; steadyRatio?: number }>)()) ?? {};
  const figures: Figure[] = [{ bench: 'tui', figure, target: '<= 1.15', result: fixed(r.ratio, 3), pass: r.ratio <= 1.15 }];
  if (typeof r.steadyRatio === 'number') {
    figures.push({ bench: 'tui', figure: '  same, without start-up and finish', target: '(reported)', result: fixed(r.steadyRatio, 3), pass: null });
  }
  return { figures, notes: [`tui: ${JSON.stringify(r)}`] };
}
