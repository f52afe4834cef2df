import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { subscribeThrottled, type Throttled } from './throttle.js';

/**
 * The store's state, re-rendered at most once per `intervalMs` (about 10 a second by default) and less
 * often when a render is expensive. Call it first in the component that owns the screen: the time from
 * its render to its layout effect (children rendered, Ink's layout and terminal write done) is the cost.
 */
export function useThrottledState<T>(store: StoreApi<T>, intervalMs = 100): T {
  const [state, setState] = useState(() => store.getState());
  const throttle = useRef<Throttled | null>(null);
  const renderStarted = useRef(0);
  renderStarted.current = performance.now();
  useLayoutEffect(() => {
    // Not on mount (throttle still null): the first frame of a screen costs more than an update.
    throttle.current?.costWas(performance.now() - renderStarted.current);
  });
  useEffect(() => {
    setState(store.getState()); // events between the first render and this effect
    throttle.current = subscribeThrottled(store, intervalMs, setState);
    return () => throttle.current?.unsubscribe();
  }, [store, intervalMs]);
  return state;
}

/** Re-renders every `ms` while `active` (for countdowns such as the rate-limit wait). */
export function useTicker(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return now;
}
