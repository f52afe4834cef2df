/**
 * The dashboard's keys turned into intents for the engine (pause, retry, stop, raise the budget) and into
 * view changes. The engine does the work; this only asks.
 */
import { useState } from 'react';
import { useInput } from 'ink';
import { formatUsd } from '../../core/prices.js';
import type { RunHandle } from '../../core/run.js';
import { actionFor, confirmKeys, dashboardKeys } from './keys.js';
import { slotsGaveUp, type RunState, type RunStore } from './runStore.js';

export type RunView = 'dashboard' | 'failures' | 'samples' | 'help';

export interface RunControls {
  view: RunView;
  setView: (view: RunView) => void;
  confirmingQuit: boolean;
  quitRequested: boolean;
  budgetInput: string;
  note: string;
  /** Id of the sample shown on the dashboard, or null to follow the latest. */
  pinned: string | null;
}

function browse(samples: RunState['samples'], pinned: string | null, by: number): string | null {
  if (samples.length === 0) return null;
  const at = pinned === null ? samples.length - 1 : samples.findIndex((s) => s.id === pinned);
  const next = Math.max(0, (at < 0 ? samples.length - 1 : at) + by);
  return next >= samples.length - 1 ? null : (samples[next]?.id ?? null);
}

export function useRunControls(handle: RunHandle, store: RunStore, finished: boolean, onForceExit: () => void): RunControls {
  const [view, setView] = useState<RunView>('dashboard');
  const [confirmingQuit, setConfirmingQuit] = useState(false);
  const [quitRequested, setQuitRequested] = useState(false);
  const [budgetInput, setBudgetInput] = useState('');
  const [note, setNote] = useState('');
  const [pinned, setPinned] = useState<string | null>(null);
  const live = store.getState(); // the unthrottled state: a key must act on what is true now

  const stop = (): void => {
    setConfirmingQuit(false);
    setQuitRequested(true);
    handle.stop();
  };

  const budgetKey = (input: string, key: { return: boolean; backspace: boolean; delete: boolean }): boolean => {
    if (live.phase !== 'budget_paused') return false;
    if (/^[0-9.]+$/.test(input)) setBudgetInput((budgetInput + input).slice(0, 12));
    else if (key.backspace || key.delete) setBudgetInput(budgetInput.slice(0, -1));
    else if (key.return) {
      const usd = Number(budgetInput);
      if (!Number.isFinite(usd) || usd <= live.counts.costUsd) {
        setNote(`enter an amount above ${formatUsd(live.counts.costUsd)}`);
      } else {
        handle.raiseBudget(usd);
        setBudgetInput('');
        setNote('');
      }
    } else return false;
    return true;
  };

  useInput(
    (input, key) => {
      if (confirmingQuit) {
        const answer = actionFor(confirmKeys, input, key);
        if (answer === 'yes' || (key.ctrl && input === 'c')) stop();
        else if (answer === 'no') setConfirmingQuit(false);
        return;
      }
      if (budgetKey(input, key)) return;
      const action = actionFor(dashboardKeys, input, key);
      if (action !== null) setNote('');
      if (action === 'quit') {
        if (live.phase === 'stopping' && key.ctrl) onForceExit();
        else if (live.phase === 'budget_paused' && input === 'q') stop();
        else if (live.phase !== 'stopping') setConfirmingQuit(true);
      } else if (action === 'pause') {
        if (live.phase === 'paused') handle.resume();
        else if (live.phase === 'running' || live.phase === 'expanding' || live.phase === 'starting') handle.pause();
      } else if (action === 'retry') {
        if (slotsGaveUp(live) > 0) handle.retryFailed();
        else setNote('no slot has given up: failing requests are retried automatically');
      } else if (action === 'failures') setView('failures');
      else if (action === 'samples') setView('samples');
      else if (action === 'help') setView('help');
      else if (action === 'older') setPinned(browse(live.samples, pinned, -1));
      else if (action === 'newer') setPinned(browse(live.samples, pinned, 1));
    },
    { isActive: view === 'dashboard' && !finished },
  );

  return { view, setView, confirmingQuit, quitRequested, budgetInput, note, pinned };
}
