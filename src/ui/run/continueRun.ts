/**
 * A retry from the failure panel after the run ended: the same session continues in place, as a resume run
 * that re-queues the slots that gave up (those kinds, or all of them). Nothing is asked again: the user
 * chose which failures to retry, and only those slots are sent.
 */
import type { RunHandle, StartRunOptions } from '../../core/run.js';
import type { FailureKind } from '../../core/types.js';

export type OpenRun = (opts: Omit<StartRunOptions, 'providers'>) => RunHandle;

export function continueRun(openRun: OpenRun, dir: string, kinds: FailureKind[] | null): RunHandle {
  const handle = openRun({ dir, resume: true, retryFailed: kinds === null, onBudget: 'wait' });
  if (kinds !== null) handle.retryFailed(kinds); // applied as the engine is made, before it schedules
  return handle;
}
