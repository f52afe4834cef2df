import React, { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { Failure, FailureKind } from '../../core/types.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import { FAILURE_HINTS } from './failureHints.js';
import { actionFor, failureKeys, footerText } from './keys.js';
import { failedKinds, failureCount, slotsGaveUp, type RunState } from './runStore.js';

export interface FailurePanelProps {
  state: RunState;
  /** The session directory, for the resume command. */
  dir: string;
  width: number;
  height: number;
  /** null: all kinds. Absent: retrying is not possible here (the run has ended). */
  onRetry?: (kinds: FailureKind[] | null) => void;
  onClose: () => void;
}

function FailureRecord({ failure, width }: { failure: Failure; width: number }): React.JSX.Element {
  const status = failure.status !== undefined ? ` · HTTP ${failure.status}` : '';
  const fate = failure.will_retry === false ? 'gave up' : 'will retry';
  const raw = failure.raw ? sanitizeLine(failure.raw).slice(0, width * 2) : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" color={theme.text.secondary}>{`  slot ${failure.slot} · attempt ${failure.attempt}${status} · ${fate}`}</Text>
      <Text wrap="truncate-end">{`    ${sanitizeLine(failure.message)}`}</Text>
      <Text wrap="truncate-end" color={theme.text.secondary}>{raw ? `    raw: ${raw}` : '    (no raw answer)'}</Text>
    </Box>
  );
}

/** Failures grouped by kind with a hint each; the selected kind's latest records below; retry one kind or all. */
export function FailurePanel({ state, dir, width, height, onRetry, onClose }: FailurePanelProps): React.JSX.Element {
  const kinds = failedKinds(state);
  const [selected, setSelected] = useState(0);
  const [note, setNote] = useState('');
  const index = Math.min(selected, Math.max(0, kinds.length - 1));
  const kind = kinds[index];

  useInput((input, key) => {
    const action = actionFor(failureKeys, input, key);
    if (action === 'back') onClose();
    else if (action === 'up') setSelected(Math.max(0, index - 1));
    else if (action === 'down') setSelected(Math.min(kinds.length - 1, index + 1));
    else if (action === 'retryGroup' && kind && onRetry) {
      onRetry([kind]);
      setNote(`re-queued the ${kind} slots that gave up`);
    } else if (action === 'retryAll' && kinds.length > 0 && onRetry) {
      onRetry(null);
      setNote('re-queued every slot that gave up');
    }
  });

  const listRows = Math.min(kinds.length, Math.max(1, Math.floor((height - 4) / 2)));
  const first = Math.max(0, Math.min(index - listRows + 1, kinds.length - listRows));
  const group = kind ? state.failures[kind] : undefined;
  const recordRows = Math.max(0, height - 5 - listRows);
  const records = (group?.recent ?? []).slice(-Math.floor(recordRows / 3)).reverse();
  const canRetry = onRetry !== undefined;
  const footer = footerText(failureKeys, (a) => canRetry || (a !== 'retryGroup' && a !== 'retryAll'));

  return (
    <Box flexDirection="column">
      <Text bold={theme.emphasis}>{`Failures by kind (${slotsGaveUp(state)} slot(s) gave up)`}</Text>
      {kinds.length === 0 ? <Text color={theme.text.secondary}>No failures so far.</Text> : null}
      {kinds.slice(first, first + listRows).map((k, i) => {
        const g = state.failures[k];
        const mark = first + i === index ? '›' : ' ';
        const gave = g && g.gaveUp > 0 ? ` (${g.gaveUp} gave up)` : '';
        return (
          <Text key={k} wrap="truncate-end" inverse={first + i === index && theme.emphasis}>
            <Text color={theme.status.error}>{`${mark} ${k.padEnd(10)} ${String(failureCount(state, k)).padStart(5)}`}</Text>
            {`${gave} · ${FAILURE_HINTS[k]}`}
          </Text>
        );
      })}
      {kind ? <Text wrap="truncate-end" color={theme.text.accent}>{`${kind}: latest ${records.length} of ${failureCount(state, kind)}`}</Text> : null}
      {records.map((f, i) => (
        <FailureRecord key={`${f.slot}-${f.attempt}-${i}`} failure={f} width={width} />
      ))}
      {note ? <Text color={theme.status.ok}>{note}</Text> : null}
      {canRetry ? null : <Text color={theme.text.secondary}>{`The run has ended: synthloom resume ${dir} --retry-failed`}</Text>}
      <Text wrap="truncate-end" color={theme.text.secondary}>{footer}</Text>
    </Box>
  );
}
