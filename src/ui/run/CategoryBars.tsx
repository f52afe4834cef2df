/**
 * Per-category progress on the dashboard: one bar per category, accepted samples against the plan's target
 * (when known). A pure component fed by props; rows beyond `maxRows` fold into one "+N more" line.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import { progressBar } from './format.js';

export interface CategoryRow {
  name: string;
  done: number;
  /** The plan's target for the category; null when not known (the bar then shows the share of all done). */
  target: number | null;
}

export interface CategoryBarsProps {
  rows: readonly CategoryRow[];
  width: number;
  /** Lines at most, the "+N more" line included. */
  maxRows: number;
}

/** How many lines CategoryBars draws for these rows. */
export function categoryBarLines(count: number, maxRows: number): number {
  if (maxRows <= 0 || count === 0) return 0;
  return Math.min(count, maxRows);
}

export function CategoryBars({ rows, width, maxRows }: CategoryBarsProps): React.JSX.Element | null {
  const lines = categoryBarLines(rows.length, maxRows);
  if (lines === 0) return null;
  const shown = rows.length > lines ? rows.slice(0, lines - 1) : rows;
  const hidden = rows.length - shown.length;
  const total = rows.reduce((n, r) => n + r.done, 0);
  const nameWidth = Math.min(18, Math.max(...shown.map((r) => r.name.length)));
  const countWidth = Math.max(...shown.map((r) => `${r.done}/${r.target ?? '?'}`.length));
  const barWidth = Math.max(5, Math.min(30, width - nameWidth - countWidth - 4));
  return (
    <Box flexDirection="column">
      {shown.map((r) => {
        const name = sanitizeLine(r.name);
        const label = name.length > nameWidth ? `${name.slice(0, nameWidth - 1)}…` : name.padEnd(nameWidth);
        const full = r.target !== null && r.target > 0 && r.done >= r.target;
        return (
          <Text key={r.name} wrap="truncate-end">
            {`${label} `}
            <Text color={full ? theme.status.ok : theme.text.accent}>{progressBar(r.done, r.target ?? total, barWidth)}</Text>
            {` ${`${r.done}/${r.target ?? '?'}`.padStart(countWidth)}`}
          </Text>
        );
      })}
      {hidden > 0 ? <Text color={theme.text.secondary} wrap="truncate-end">{`+${hidden} more categories`}</Text> : null}
    </Box>
  );
}
