/**
 * Errors a user can fix. The CLI prints `message` as one line and exits with `exitCode` (2: bad usage,
 * config or input), never with a stack trace.
 */
export class UsageError extends Error {
  readonly exitCode: number;
  readonly hint?: string;

  constructor(message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = options.exitCode ?? 2;
    this.hint = options.hint;
  }
}

/** A second process tried to open a session that a live process holds. */
export class SessionLockedError extends UsageError {
  readonly pid: number;
  constructor(dir: string, pid: number, hint?: string) {
    super(`session ${dir} is in use by another synthloom process (pid ${pid}); wait for it to finish or stop it first`, { hint });
    this.name = 'SessionLockedError';
    this.pid = pid;
  }
}

/** Short, single-line text of any thrown value, for messages shown to the user. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.message;
  return String(err);
}
