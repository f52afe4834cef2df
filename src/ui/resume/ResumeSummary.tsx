/**
 * What a resume would do, for approval before it spends (issue 16; the lead wires it into the resume
 * screen with the new engine): slots left, failures to retry, changes since the plan was approved, and the
 * cost of what is left first. Pure: everything comes in as props.
 */
import { Box, Text } from 'ink';
import { formatUsd } from '../../core/prices.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';

export interface ResumeSummaryProps {
  /** Slots not done yet (open and failed ones that will be retried). */
  slotsLeft: number;
  /** Slots that gave up and will be retried (0 without --retry-failed). */
  failuresToRetry: number;
  /** "model "a" -> "b"" lines from changesSinceApproval; empty when nothing changed. */
  changes: readonly string[];
  /** Estimated cost of what is left; null when the model has no price. */
  costUsd: number | null;
  /** Spent so far and the cap, when known. */
  spentUsd?: number;
  budgetUsd?: number;
}

/** The summary as plain lines (also what a headless resume could print). */
export function resumeSummaryLines(p: ResumeSummaryProps): string[] {
  const cost = p.costUsd === null ? 'unknown (no price for this model)' : `≈${formatUsd(p.costUsd)}`;
  const lines = [
    `Cost of what is left  ${cost}${p.spentUsd !== undefined ? ` · ${formatUsd(p.spentUsd)} spent so far` : ''}${p.budgetUsd !== undefined ? ` · cap ${formatUsd(p.budgetUsd)}` : ''}`,
    `Slots left            ${p.slotsLeft}${p.failuresToRetry > 0 ? ` (${p.failuresToRetry} failed slot${p.failuresToRetry === 1 ? '' : 's'} retried)` : ''}`,
  ];
  if (p.changes.length === 0) lines.push('Changes               none since the plan was approved');
  else lines.push(`Changes               ${p.changes.length} since the plan was approved:`, ...p.changes.map((c) => `  ${c}`));
  return lines;
}

export function ResumeSummary(props: ResumeSummaryProps) {
  const lines = resumeSummaryLines(props);
  const over = props.costUsd !== null && props.budgetUsd !== undefined && props.costUsd + (props.spentUsd ?? 0) > props.budgetUsd;
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" bold={i === 0 && theme.emphasis} color={i >= 3 ? theme.status.warn : undefined}>
          {sanitizeLine(line)}
        </Text>
      ))}
      {over ? (
        <Text color={theme.status.warn} wrap="truncate-end">
          The estimate is above the cap: the run will pause there.
        </Text>
      ) : null}
    </Box>
  );
}
