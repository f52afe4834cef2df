/**
 * Runs the built CLI (`node dist/cli.js ...`) in a real pseudo-terminal and reads the screen the way a user
 * sees it: the pty's output is fed to a headless xterm, whose visible rows are the "screen".
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
export const CLI = resolve(ROOT, 'dist', 'cli.js');

export { KEY } from '../keys.js';

export interface PtyOptions {
  cols?: number;
  rows?: number;
  cwd?: string;
  /** Added to the child's environment (after CI and the real keys are removed). */
  env?: Record<string, string>;
}

export interface PtyApp {
  /** The visible screen, one string per row, trailing spaces trimmed. */
  screenLines(): string[];
  screenText(): string;
  /** Everything the program wrote so far (escape sequences included). */
  output(): string;
  waitForText(match: RegExp | string, timeoutMs?: number): Promise<string>;
  press(key: string): void;
  type(text: string): void;
  resize(cols: number, rows: number): void;
  readonly exited: Promise<number>;
  kill(): void;
}

function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // Ink draws only the last frame when any CI variable is set; real keys never reach a test.
  for (const k of ['CI', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'NO_COLOR', 'FORCE_COLOR']) {
    delete env[k];
  }
  return { ...env, TERM: 'xterm-256color', OLLAMA_HOST: '127.0.0.1:9', ...extra };
}

export function spawnCli(args: string[], options: PtyOptions = {}): PtyApp {
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
  const child = pty.spawn(process.execPath, [CLI, ...args], {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: options.cwd ?? process.cwd(),
    env: childEnv(options.env ?? {}),
  });
  let raw = '';
  child.onData((data) => {
    raw += data;
    term.write(data);
  });
  const exited = new Promise<number>((resolveExit) => {
    child.onExit(({ exitCode }) => resolveExit(exitCode));
  });
  let alive = true;
  void exited.then(() => {
    alive = false;
  });

  const screenLines = (): string[] => {
    const buffer = term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < term.rows; y++) out.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return out;
  };
  const screenText = (): string => screenLines().join('\n');
  // xterm parses writes asynchronously: an empty write's callback fires once everything before it is parsed.
  const flush = (): Promise<void> => new Promise((done) => term.write('', done));

  return {
    screenLines,
    screenText,
    output: () => raw,
    async waitForText(match, timeoutMs = 15_000) {
      const test = typeof match === 'string' ? (t: string) => t.includes(match) : (t: string) => match.test(t);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await flush();
        const text = screenText();
        if (test(text)) return text;
        if (!alive) throw new Error(`the program exited before ${String(match)} appeared; the screen shows:\n${text}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(match)}; the screen shows:\n${text}`);
        await new Promise((r) => setTimeout(r, 40));
      }
    },
    press: (key) => child.write(key),
    type: (text) => child.write(text),
    resize(newCols, newRows) {
      child.resize(newCols, newRows);
      term.resize(newCols, newRows);
    },
    exited,
    kill: () => {
      if (alive) child.kill();
    },
  };
}
