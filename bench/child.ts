/**
 * Runs one engine run in a process of its own (bench/engine-child.mjs, on the built engine in dist/) and
 * reads the figures it prints, so CPU and peak RSS are the engine's alone.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export interface BenchRunOptions {
  serverUrl: string;
  outDir: string;
  name: string;
  size: number;
  concurrency?: number;
  rpm?: number | null;
  /** Stop the run gracefully after this long (runs measured over a duration, not a size). */
  stopAfterMs?: number;
}

export interface ChildFigures {
  status: string;
  exitCode: number;
  done: number;
  target: number;
  /** Requests the engine started (request_start events), retries included. */
  requests: number;
  /** From start() until it resolved: setup, generation, export. */
  wallMs: number;
  /** Since start(): the first request started; the last answer (accepted or rejected) was handled. */
  firstRequestMs: number | null;
  lastAnswerMs: number | null;
  /** CPU (user + system) of the engine process over the whole run, and over the generation phase. */
  cpuMs: number;
  /** Null when the run ended before its target (the generation phase ends at the target's last sample). */
  generationCpuMs: number | null;
  /** Peak RSS (MB) when the last sample was accepted, before the export; null if the target was not reached. */
  generationRssMb: number | null;
  /** Peak RSS (MB) of the whole run, export included. */
  maxRssMb: number;
  /** Peak RSS once the engine's modules were loaded, before the run started. */
  loadedRssMb: number;
}

export function runInChild(options: BenchRunOptions): Promise<ChildFigures> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'engine-child.mjs'), JSON.stringify(options)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) done(JSON.parse(last) as ChildFigures);
      else fail(new Error(`bench child exited ${code}: ${err.trim() || out.slice(-2000)}`));
    });
  });
}
