/**
 * The dashboard must not slow the engine: the same 2,000-sample run against a zero-latency test server,
 * once headless (`--plain`, output to pipes) and once under the TUI in a real pseudo-terminal. Target:
 * tuiS / headlessS <= 1.15. Each mode runs `rounds` times (alternating) and the fastest runs are compared:
 * on a shared machine other work only ever adds time, so the minimum is the least disturbed figure. Where
 * /usr/bin/time exists the processes' CPU seconds are measured too (less sensitive to a busy machine).
 * A 10-sample run in each mode gives the fixed cost (start-up, first and last screen); `steadyRatio` is the
 * ratio of what the remaining samples cost, i.e. the dashboard's price while the run is going.
 *
 *   node --import tsx bench/tui.ts        (after `npm run build`; uses dist/cli.js)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as pty from '@lydell/node-pty';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SIZE = 2000;
const TIMEOUT_MS = 10 * 60_000;
const TIME = '/usr/bin/time';

interface Measured {
  wallS: number;
  /** User + system CPU seconds of the synthloom process, when /usr/bin/time is there. */
  cpuS: number | null;
}

/** The command line, wrapped in /usr/bin/time when it exists (CPU seconds written to `cpuFile`). */
function command(args: string[], cpuFile: string): [string, string[]] {
  const node = [process.execPath, CLI, ...args];
  return existsSync(TIME) ? [TIME, ['-f', '%U %S', '-o', cpuFile, ...node]] : [node[0]!, node.slice(1)];
}

function cpuOf(cpuFile: string): number | null {
  if (!existsSync(cpuFile)) return null;
  const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return user !== undefined && sys !== undefined && Number.isFinite(user + sys) ? user + sys : null;
}

export interface BenchTuiOptions {
  size?: number;
  rounds?: number;
  concurrency?: number;
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'server', 'main.ts')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const { url } = JSON.parse(line) as { url: string };
    return { url, child };
  }
  throw new Error('the test server did not start');
}

function writeConfig(dir: string, tag: string, serverUrl: string, size: number, concurrency: number): string {
  const file = join(dir, `${tag}.yaml`);
  writeFileSync(
    file,
    [
      'name: bench-tui',
      'task: customer support',
      'domain: e-commerce returns and refunds',
      `size: ${size}`,
      'topics: { categories: [{name: returns, weight: 1}, {name: refunds, weight: 1}, {name: shipping, weight: 1}, {name: exchanges, weight: 1}], depth: 0 }',
      'budget_usd: 1000',
      `output_dir: ${JSON.stringify(join(dir, 'sessions'))}`,
      'provider:',
      '  name: openai-compatible',
      '  model: gpt-4.1-mini',
      `  base_url: ${serverUrl}/v1`,
      `  concurrency: ${concurrency}`,
      // Limits far above what a loopback server can serve: the run is paced by the machine, not the limiter.
      '  rpm: 100000000',
      '  tpm: 100000000000',
      '',
    ].join('\n'),
  );
  return file;
}

function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI') env[k] = v;
  return { ...env, OPENAI_API_KEY: 'sk-bench-not-a-real-key', TERM: 'xterm-256color', FORCE_COLOR: '1' };
}

/** Until `synthloom run --yes --plain` exits. */
function runHeadless(config: string, out: string): Promise<Measured> {
  const started = performance.now();
  const cpuFile = `${out}.cpu`;
  return new Promise((done, fail) => {
    const [file, args] = command(['run', config, '--yes', '--plain', '--out', out], cpuFile);
    const child = spawn(file, args, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.resume();
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) done({ wallS: (performance.now() - started) / 1000, cpuS: cpuOf(cpuFile) });
      else fail(new Error(`headless run exited ${code}: ${err}`));
    });
  });
}

const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

/** Until the TUI run (in a pty, 120x40) shows its done screen, is told to leave, and exits. */
function runTui(config: string, out: string): Promise<Measured> {
  const started = performance.now();
  const cpuFile = `${out}.cpu`;
  return new Promise((done, fail) => {
    const [file, args] = command(['run', config, '--yes', '--out', out], cpuFile);
    const term = pty.spawn(file, args, { cols: 120, rows: 40, cwd: ROOT, env: childEnv() });
    let tail = '';
    let leaving = false;
    const timer = setTimeout(() => term.kill('SIGKILL'), TIMEOUT_MS);
    term.onData((data) => {
      tail = (tail + data).slice(-8000);
      if (!leaving && /Run done/.test(tail.replace(ANSI, ''))) {
        leaving = true;
        term.write('q');
      }
    });
    term.onExit(({ exitCode }) => {
      clearTimeout(timer);
      if (exitCode === 0 && leaving) done({ wallS: (performance.now() - started) / 1000, cpuS: cpuOf(cpuFile) });
      else fail(new Error(`TUI run exited ${exitCode}: ${tail.replace(ANSI, '').slice(-1000)}`));
    });
  });
}

function fastest(xs: (number | null)[]): number | null {
  const known = xs.filter((x): x is number => x !== null);
  return known.length === xs.length && known.length > 0 ? Math.min(...known) : null;
}

/** One timed run against a fresh server, so no rate window or counter carries over from the run before. */
async function timed(mode: (config: string, out: string) => Promise<Measured>, work: string, tag: string, size: number, concurrency: number): Promise<Measured> {
  const server = await startServer();
  try {
    return await mode(writeConfig(work, tag, server.url, size, concurrency), join(work, tag));
  } finally {
    server.child.kill('SIGTERM');
  }
}

export interface BenchTuiResult {
  headlessS: number;
  tuiS: number;
  ratio: number;
  /** CPU seconds of the synthloom process (null without /usr/bin/time). */
  headlessCpuS: number | null;
  tuiCpuS: number | null;
  /** (TUI - TUI of 10 samples) / (headless - headless of 10 samples), wall time: the cost while running. */
  steadyRatio: number;
}

export async function benchTui(options: BenchTuiOptions = {}): Promise<BenchTuiResult> {
  const size = options.size ?? SIZE;
  const rounds = options.rounds ?? 3;
  const concurrency = options.concurrency ?? 16;
  const work = mkdtempSync(join(tmpdir(), 'synthloom-bench-tui-'));
  try {
    const headless: Measured[] = [];
    const tui: Measured[] = [];
    const headlessSmall: Measured[] = [];
    const tuiSmall: Measured[] = [];
    for (let i = 0; i < rounds; i++) {
      headless.push(await timed(runHeadless, work, `headless-${i}`, size, concurrency));
      tui.push(await timed(runTui, work, `tui-${i}`, size, concurrency));
      headlessSmall.push(await timed(runHeadless, work, `headless-small-${i}`, 10, concurrency));
      tuiSmall.push(await timed(runTui, work, `tui-small-${i}`, 10, concurrency));
    }
    const headlessS = fastest(headless.map((m) => m.wallS))!;
    const tuiS = fastest(tui.map((m) => m.wallS))!;
    const fixedHeadless = fastest(headlessSmall.map((m) => m.wallS))!;
    const fixedTui = fastest(tuiSmall.map((m) => m.wallS))!;
    return {
      headlessS,
      tuiS,
      ratio: tuiS / headlessS,
      headlessCpuS: fastest(headless.map((m) => m.cpuS)),
      tuiCpuS: fastest(tui.map((m) => m.cpuS)),
      steadyRatio: (tuiS - fixedTui) / (headlessS - fixedHeadless),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await benchTui();
  const cpu = r.headlessCpuS !== null && r.tuiCpuS !== null ? `; CPU ${r.headlessCpuS.toFixed(2)} s vs ${r.tuiCpuS.toFixed(2)} s (${(r.tuiCpuS / r.headlessCpuS).toFixed(3)})` : '';
  console.log(`tui bench: ${SIZE} samples, headless ${r.headlessS.toFixed(2)} s, TUI ${r.tuiS.toFixed(2)} s, ratio ${r.ratio.toFixed(3)} (target <= 1.15)${cpu}; without the fixed start/finish cost ${r.steadyRatio.toFixed(3)}`);
}
