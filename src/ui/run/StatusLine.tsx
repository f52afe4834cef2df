import React from 'react';
import { Text } from 'ink';
import { theme } from '../theme.js';
import { usd } from './format.js';
import type { RunState } from './runStore.js';

export interface StatusLineProps {
  state: RunState;
  confirmingQuit: boolean;
  /** What the user has typed as a new budget cap so far. */
  budgetInput: string;
  note: string;
}

/** The one line of the dashboard that asks or tells: quit confirmation, budget cap prompt, pause, notes. */
export function StatusLine({ state, confirmingQuit, budgetInput, note }: StatusLineProps): React.JSX.Element {
  if (confirmingQuit) {
    return (
      <Text color={theme.status.warn} bold={theme.emphasis} wrap="truncate-end">
        Stop the run? Requests in flight finish and the session stays resumable. y stop · n keep running
      </Text>
    );
  }
  if (state.phase === 'budget_paused' && state.pause) {
    return (
      <Text wrap="truncate-end">
        <Text color={theme.status.warn} bold={theme.emphasis}>{`Budget cap reached: ${usd(state.pause.costUsd)} of ${usd(state.pause.budgetUsd)}. `}</Text>
        {'New cap (USD): '}
        <Text inverse={theme.emphasis}>{budgetInput || ' '}</Text>
        {note ? <Text color={theme.status.error}>{` ${note}`}</Text> : <Text color={theme.text.secondary}>{' enter raise and continue · q stop'}</Text>}
      </Text>
    );
  }
  if (note) return <Text color={theme.status.info} wrap="truncate-end">{note}</Text>;
  if (state.phase === 'paused') {
    return <Text color={theme.status.warn} wrap="truncate-end">Paused: no new requests are sent. p to resume</Text>;
  }
  if (state.phase === 'stopping') {
    return <Text color={theme.status.warn} wrap="truncate-end">Stopping: waiting for requests in flight. ctrl+c again quits at once</Text>;
  }
  return <Text> </Text>;
}
