/**
 * Shared pieces of the session acceptance tests: the file's test server and temporary root, a config file,
 * the built CLI run as a real child process (its stdout/stderr collected, its JSON events parsed as they arrive), and readers for
 * the session files exactly as they are on disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { EngineEvent } from '../../src/core/events.js';
import { startTestServer, type Knobs, type TestServer } from '../server/index.js';

export const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
export const CLI = resolve(ROOT, 'dist', 'cli.js');

export function tempRoot(label: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `synthloom-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SessionSuite {
  /** The file's test server, started before its first test. */
  readonly server: TestServer;
  /** The file's temporary root, where the sessions are written; removed after its last test. */
  readonly dir: string;
  /** The CLI's environment, its openai provider pointed at the test server. */
  env(): NodeJS.ProcessEnv;
  /** Kills `run` (SIGKILL) after the file's last test, before the server closes, if it is still running. */
  killAtEnd(run: CliRun): void;
}

/** What every session test file sets up: a test server with `knobs` and a temporary root. Call once at the top. */
export function sessionSuite(label: string, knobs: Partial<Knobs>): SessionSuite {
  const tmp = tempRoot(label);
  const live: CliRun[] = [];
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(knobs);
  });
  afterAll(async () => {
    for (const run of live) run.child.kill('SIGKILL');
    await server?.close();
    tmp.cleanup();
  });
  const suite: SessionSuite = {
    get server(): TestServer {
      if (!server) throw new Error('the test server starts in beforeAll: use it inside a test');
      return server;
    },
    dir: tmp.dir,
    env: () => cliEnv(suite.server.openaiBaseUrl),
    killAtEnd: (run) => {
      live.push(run);
    },
  };
  return suite;
}

export interface ConfigOptions {
  name: string;
  outputDir: string;
  size: number;
  model?: string;
  concurrency?: number;
  maxRetries?: number;
  budgetUsd?: number;
  /** YAML flow text for `topics`; default: no expansion (depth 0, no categories). */
  topics?: string;
  timeoutS?: number;
}

/** Writes a config file for the openai provider (the base URL comes from OPENAI_BASE_URL) and returns its path. */
export function writeConfig(o: ConfigOptions): string {
  const path = join(o.outputDir, `${o.name}.yaml`);
  writeFileSync(
    path,
    [
      `name: ${o.name}`,
      'task: customer support',
      'domain: e-commerce returns and refunds',
      `size: ${o.size}`,
      `output_dir: ${o.outputDir}`,
      `budget_usd: ${o.budgetUsd ?? 10}`,
      `topics: ${o.topics ?? '{ depth: 0 }'}`,
      'provider:',
      '  name: openai',
      `  model: ${o.model ?? 'gpt-4.1-mini'}`,
      `  concurrency: ${o.concurrency ?? 8}`,
      `  max_retries: ${o.maxRetries ?? 4}`,
      `  timeout_s: ${o.timeoutS ?? 60}`,
      '',
    ].join('\n'),
  );
  return path;
}

export interface CliRun {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** JSON events seen so far (only with --json). */
  events: EngineEvent[];
  /** Resolves once the process has exited and its pipes are drained. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when `test` holds for some event (checked on every event, and on the ones already seen). */
  waitForEvent(test: (e: EngineEvent, all: EngineEvent[]) => boolean): Promise<EngineEvent>;
  /** Resolves when stderr (or stdout) matches. */
  waitForOutput(match: RegExp): Promise<void>;
}

export function cliEnv(baseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CI', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'SYNTHLOOM_DEBUG']) delete env[k];
  return { ...env, OPENAI_API_KEY: 'dummy', OPENAI_BASE_URL: baseUrl, ...extra };
}

/** Runs `node dist/cli.js ARGS` with pipes (so: no terminal, the headless path). */
export function runCli(args: string[], env: NodeJS.ProcessEnv): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let partial = '';
  const events: EngineEvent[] = [];
  const watchers: (() => void)[] = [];
  const notify = () => watchers.slice().forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    partial += chunk;
    let nl: number;
    while ((nl = partial.indexOf('\n')) !== -1) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      if (line.startsWith('{')) {
        try {
          events.push(JSON.parse(line) as EngineEvent);
        } catch {
          /* not an event line */
        }
      }
    }
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.on('close', (code, signal) => {
      notify();
      done({ code, signal });
    });
  });
  let over = false;
  void exited.then(() => (over = true));
  const waitFor = <T>(check: () => T | undefined, what: string): Promise<T> =>
    new Promise((done, fail) => {
      const attempt = () => {
        const hit = check();
        if (hit !== undefined) {
          watchers.splice(watchers.indexOf(attempt), 1);
          done(hit);
        } else if (over) {
          watchers.splice(watchers.indexOf(attempt), 1);
          fail(new Error(`the process exited before ${what}\n--- stderr:\n${err}\n--- stdout (tail):\n${out.slice(-2000)}`));
        }
      };
      watchers.push(attempt);
      attempt();
    });
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    events,
    exited,
    waitForEvent: (test) => waitFor(() => events.find((e) => test(e, events)), 'the awaited event'),
    waitForOutput: async (match) => {
      await waitFor(() => (match.test(err) || match.test(out) ? true : undefined), `output matching ${match}`);
    },
  };
}

/** Runs the CLI to its end and returns the exit code and output. */
export async function runToEnd(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; events: EngineEvent[] }> {
  const run = runCli(args, env);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr(), events: run.events };
}

/** The raw lines of a JSONL file (the last one may be unterminated), without parsing. */
export function rawLines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every line parsed; throws on the first line that is not JSON, naming it. */
export function jsonLines<T>(path: string): T[] {
  return rawLines(path).map((line, i) => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`${path}: line ${i + 1} is not valid JSON: ${line.slice(0, 120)}`);
    }
  });
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Polls `check` until it is true; the limit only guards against a hang (it is not a timing assertion). */
export async function until(check: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}
