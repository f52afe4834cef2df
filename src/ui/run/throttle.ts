/**
 * Screen updates paced so they never slow the engine: at most about ten a second, and fewer when a frame
 * is expensive (a slow machine, a huge terminal).
 */
import type { StoreApi } from 'zustand/vanilla';

export interface Throttled {
  unsubscribe(): void;
  /** What an update really cost (render, commit and the terminal write), when it ran after `onChange` returned. */
  costWas(ms: number): void;
}

/**
 * Calls `onChange` with the latest state at most once per `intervalMs` (leading and trailing), so a burst
 * of events costs one render. `intervalMs` 0 calls it on every change. The gap also grows with what an
 * update costs, so updating the screen never takes more than `maxShare` of the process's time: on a slow
 * machine or a huge terminal the dashboard updates less often instead of slowing the engine.
 */
export function subscribeThrottled<T>(store: StoreApi<T>, intervalMs: number, onChange: (state: T) => void, maxShare = 0.05): Throttled {
  let last = 0;
  let gap = intervalMs;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const wait = gap - (Date.now() - last);
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  const costWas = (ms: number): void => {
    gap = Math.max(intervalMs, Math.min(2_000, ms / maxShare));
    if (timer) schedule(); // an update already waiting waits for the new gap
  };
  function fire(): void {
    timer = undefined;
    last = Date.now();
    const started = performance.now();
    onChange(store.getState());
    costWas(performance.now() - started);
  }
  const unsubscribe = store.subscribe(() => {
    if (intervalMs <= 0) onChange(store.getState());
    else if (!timer) schedule();
  });
  return {
    unsubscribe: () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    },
    costWas,
  };
}
