/**
 * The approved run: the dashboard (src/ui/run) drives and shows it; this only feeds the app store from the
 * same events and decides where the user lands afterwards (home when they came from there, else exit).
 * A retry after the run ended continues the session in place: a resume run, shown by a fresh dashboard.
 */
import { useEffect } from 'react';
import type { RunHandle } from '../core/run.js';
import { errorMessage } from '../core/errors.js';
import { useAppState, useServices } from './context.js';
import { continueRun } from './run/continueRun.js';
import { scaleSession } from '../core/scale.js';
import { RunScreen } from './run/RunScreen.js';

/** One dashboard per run handle (a continued session gets a fresh one). */
const generations = new WeakMap<RunHandle, number>();
let nextGeneration = 0;
function keyOf(handle: RunHandle): string {
  if (!generations.has(handle)) generations.set(handle, ++nextGeneration);
  return String(generations.get(handle));
}

export function RunView() {
  // Only the handle: selecting the whole run slice re-rendered the dashboard on every progress event.
  const handle = useAppState((s) => s.run?.handle);
  const runEvent = useAppState((s) => s.runEvent);
  const origin = useAppState((s) => s.origin);
  const quit = useAppState((s) => s.quit);
  const leave = useAppState((s) => s.leave);
  const startRun = useAppState((s) => s.startRun);
  const runFailed = useAppState((s) => s.runFailed);
  const { openRun } = useServices();
  useEffect(() => (handle ? handle.events.on(runEvent) : undefined), [handle, runEvent]);
  if (!handle) return null;
  const onExit = (code: number): void => {
    if (code === 130 || origin !== 'home') quit(code);
    else leave(code);
  };
  const onContinue = (kinds: Parameters<typeof continueRun>[2]): void => {
    try {
      startRun(continueRun(openRun, handle.dir, kinds));
    } catch (err) {
      runFailed(errorMessage(err));
    }
  };
  const onScale = (size: number): void => {
    try {
      scaleSession(handle.dir, size);
      startRun(openRun({ dir: handle.dir, resume: true, onBudget: 'wait' }));
    } catch (err) {
      runFailed(errorMessage(err));
    }
  };
  return <RunScreen key={keyOf(handle)} handle={handle} onExit={onExit} onContinue={onContinue} onScale={onScale} />;
}
