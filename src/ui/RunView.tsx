/**
 * The approved run: the dashboard (src/ui/run) drives and shows it; this only feeds the app store from the
 * same events and decides where the user lands afterwards (home when they came from there, else exit).
 */
import { useEffect } from 'react';
import { useAppState } from './context.js';
import { RunScreen } from './run/RunScreen.js';

export function RunView() {
  const run = useAppState((s) => s.run);
  const runEvent = useAppState((s) => s.runEvent);
  const origin = useAppState((s) => s.origin);
  const quit = useAppState((s) => s.quit);
  const leave = useAppState((s) => s.leave);
  const handle = run?.handle;
  useEffect(() => (handle ? handle.events.on(runEvent) : undefined), [handle, runEvent]);
  if (!handle) return null;
  const onExit = (code: number): void => {
    if (code === 130 || origin !== 'home') quit(code);
    else leave(code);
  };
  return <RunScreen handle={handle} onExit={onExit} />;
}
