/**
 * `synthloom run CONFIG` and `synthloom resume DIR` without a terminal (or with --plain/--json): the
 * engine with a headless reporter, the graceful-stop signal handling, and the exit code (SPEC 2).
 */
import { UsageError } from '../core/errors.js';
import { changesSinceApproval, type RunHandle, type StartRunOptions } from '../core/run.js';
import { openRun } from '../index.js';
import { FILES, findTornTail, readPlanFile, readSessionFile } from '../core/session/index.js';
import { exitCodeAfterExport } from './export-check.js';
import { attachJsonReporter, attachPlainReporter, type Io } from './reporters.js';

export const REFUSE_WITHOUT_YES =
  'refusing to spend tokens without --yes: there is no terminal to approve the plan in. Review it with `synthloom plan CONFIG`, then run again with --yes';

/** First Ctrl+C or SIGTERM: graceful stop. A second Ctrl+C: exit at once (appends are whole lines, so nothing is torn). */
export function handleSignals(handle: RunHandle, io: Io): () => void {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      handle.stop();
      return;
    }
    if (signal === 'SIGINT') {
      io.stderr.write(`synthloom: quit at once; resume with: synthloom resume ${handle.dir} --yes\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** For a resume: what changed since the plan was approved (empty when nothing did). */
export function planChanges(dir: string): string[] {
  return changesSinceApproval(readPlanFile(dir), readSessionFile(dir).config);
}

export async function runHeadless(opts: Omit<StartRunOptions, 'providers'>, mode: 'plain' | 'json', yes: boolean, io: Io): Promise<number> {
  const changes = opts.resume && opts.dir ? planChanges(opts.dir) : [];
  if (!yes) {
    if (changes.length > 0) {
      throw new UsageError(`the session's settings changed since the plan was approved: ${changes.join('; ')}. Run again with --yes to continue with the new settings`);
    }
    throw new UsageError(REFUSE_WITHOUT_YES);
  }
  const handle = openRun({ ...opts, onBudget: 'end' });
  // Said on stderr in both modes: stdout is the summary (plain) or the event stream (json).
  if (changes.length > 0) io.stderr.write(`synthloom: continuing with settings changed since the plan was approved (--yes): ${changes.join('; ')}\n`);
  const torn = opts.resume ? findTornTail(handle.dir) : null;
  if (torn) {
    io.stderr.write(`synthloom: ${FILES.samples} ended with a torn line (${torn.bytes} bytes, written when a run was killed): moved to ${FILES.torn}; its slot is generated again\n`);
  }
  const detach = mode === 'json' ? attachJsonReporter(handle.events, io) : attachPlainReporter(handle.events, io);
  const release = handleSignals(handle, io);
  try {
    return exitCodeAfterExport(await handle.start(), io);
  } finally {
    release();
    detach();
  }
}
