/**
 * "Scale to N" on the done screen (preview then scale): the new target asked for, then the new plan with the
 * cost of what is left shown first, for approval; nothing is written or spent before the yes. The caller
 * raises the session's size (core/scale.ts) and continues it in place as a resume run.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { remainingEstimate } from '../../core/plan-remaining.js';
import { scalePlan } from '../../core/scale.js';
import { readPlanFile } from '../../core/session/index.js';
import { Confirm } from '../components/Confirm.js';
import { TextField } from '../components/TextField.js';
import { ResumeSummary } from '../resume/ResumeSummary.js';
import { theme } from '../theme.js';

export interface ScalePanelProps {
  dir: string;
  done: number;
  target: number;
  spentUsd: number;
  budgetUsd: number;
  width: number;
  onApprove: (size: number) => void;
  onClose: () => void;
}

export function ScalePanel({ dir, done, target, spentUsd, budgetUsd, width, onApprove, onClose }: ScalePanelProps) {
  const [text, setText] = useState(String(Math.max(target + 1, target * 5)));
  const [size, setSize] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useInput((_input, key) => {
    if (key.escape && size === null) onClose();
  });
  if (size === null) {
    const submit = (value: string): void => {
      const n = Number(value.trim());
      if (!Number.isInteger(n) || n <= target) return setError(`a whole number above ${target}`);
      try {
        scalePlan(readPlanFile(dir), n);
        setSize(n);
      } catch (err) {
        setError(errorMessage(err));
      }
    };
    return (
      <Box flexDirection="column">
        <Text bold={theme.emphasis} wrap="truncate-end">{`Scale to N: the same config and topic tree, the ${done} samples made count toward N`}</Text>
        <TextField value={text} onChange={(v) => (setText(v), setError(null))} onSubmit={submit} error={error} prompt="New size: " width={width} />
        <Text color={theme.text.secondary} wrap="truncate-end">enter show the plan · esc back</Text>
      </Box>
    );
  }
  const plan = scalePlan(readPlanFile(dir), size);
  const left = size - done;
  const estimate = remainingEstimate(plan, left);
  return (
    <Box flexDirection="column">
      <ResumeSummary slotsLeft={left} failuresToRetry={0} changes={[]} costUsd={estimate.costUsd} spentUsd={spentUsd} budgetUsd={budgetUsd} />
      <Text wrap="truncate-end">{`New plan: ${size} samples (${done} kept) · about ${estimate.requests} sample requests`}</Text>
      <Box marginTop={1}>
        <Confirm message={`Scale to ${size} and continue this session?`} yesLabel={`Scale to ${size}`} noLabel="Back" defaultYes onAnswer={(yes) => (yes ? onApprove(size) : setSize(null))} />
      </Box>
    </Box>
  );
}
