/**
 * The approved run: the dashboard (src/ui/run) drives and shows it; this only feeds the app store from the
 * same events and decides where the user lands afterwards (home when they came from there, else exit).
 */
import { useEffect } from 'react';
import { useAppState } from './context.js';
import { RunScreen } from './run/RunScreen.js';

export function RunView() {
  // Only the handle: selecting the whole run slice re-rendered the dashboard on every progress event.
  const handle = useAppState((s) => s.run?.handle);
  const runEvent = useAppState((s) => s.runEvent);
  const origin = useAppState((s) => s.origin);
  const quit = useAppState((s) => s.quit);
  const leave = useAppState((s) => s.leave);
  useEffect(() => (handle ? handle.events.on(runEvent) : undefined), [handle, runEvent]);
  if (!handle) return null;
  const onExit = (code: number): void => {
    if (code === 130 || origin !== 'home') quit(code);
    else leave(code);
  };
  return <RunScreen handle={handle} onExit={onExit} />;
}
