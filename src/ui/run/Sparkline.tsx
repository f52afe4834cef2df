/**
 * The run's throughput as a sparkline: samples accepted per interval, oldest left, one block character per
 * interval scaled to the busiest one. A pure component fed by props (see usePictures for where the numbers
 * come from).
 */
import React from 'react';
import { Text } from 'ink';
import { theme } from '../theme.js';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value (the last `width` values), scaled so the largest is a full block; 0 is blank-ish. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-Math.max(1, width));
  const max = Math.max(0, ...shown);
  return shown
    .map((v) => {
      if (max <= 0 || v <= 0) return BLOCKS[0]!;
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(1, Math.round((v / max) * (BLOCKS.length - 1))))]!;
    })
    .join('');
}

export interface SparklineProps {
  /** Samples accepted in each interval, oldest first. */
  values: readonly number[];
  /** Seconds per value, for the label. */
  intervalS: number;
  /** Columns for the whole line. */
  width: number;
}

export function Sparkline({ values, intervalS, width }: SparklineProps): React.JSX.Element {
  const label = 'throughput ';
  const last = values.length > 0 ? values[values.length - 1]! : 0;
  const peak = Math.max(0, ...values);
  const tail = ` ${last}/${intervalS}s · peak ${peak}`;
  const room = Math.max(4, width - label.length - tail.length - 1);
  return (
    <Text wrap="truncate-end">
      <Text color={theme.text.secondary}>{label}</Text>
      <Text color={theme.text.accent}>{values.length > 0 ? sparkline(values, room) : '…'}</Text>
      <Text color={theme.text.secondary}>{tail}</Text>
    </Text>
  );
}
