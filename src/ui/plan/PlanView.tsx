/** One view of the plan (estimate, topics, diversity, prompt) in a fixed-height, scrollable window. */
import { Box, Text } from 'ink';
import { theme } from '../theme.js';
import type { Line, Tone } from './planLines.js';

export const PLAN_VIEWS = ['estimate', 'topics', 'diversity', 'prompt'] as const;
export type PlanViewName = (typeof PLAN_VIEWS)[number];

const COLOURS: Record<Tone, string | undefined> = {
  normal: theme.text.primary,
  dim: theme.text.secondary,
  warn: theme.status.warn,
  accent: theme.text.accent,
};

export function Tabs({ current }: { current: PlanViewName }) {
  return (
    <Text wrap="truncate-end">
      {PLAN_VIEWS.map((view, i) => (
        <Text key={view} bold={view === current && theme.emphasis} color={view === current ? theme.text.accent : theme.text.secondary}>
          {`${i > 0 ? '  ' : ''}${view === current ? `[${view}]` : view}`}
        </Text>
      ))}
    </Text>
  );
}

export interface PlanViewProps {
  lines: Line[];
  height: number;
  offset: number;
}

/** Shows `height` lines from `offset`; the last row says how much more there is. */
export function PlanView({ lines, height, offset }: PlanViewProps) {
  const fits = lines.length <= height;
  const room = fits ? height : height - 1;
  const start = fits ? 0 : Math.min(Math.max(0, offset), Math.max(0, lines.length - room));
  const shown = lines.slice(start, start + room);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, i) => (
        <Text key={`${start + i}`} color={COLOURS[line.tone ?? 'normal']} wrap="truncate-end">
          {line.text === '' ? ' ' : line.text}
        </Text>
      ))}
      {fits ? null : (
        <Text color={theme.text.secondary} wrap="truncate-end">
          {`lines ${start + 1}-${start + shown.length} of ${lines.length} · pgup/pgdn or [ ] to scroll`}
        </Text>
      )}
    </Box>
  );
}

/** The largest useful scroll offset for a view. */
export function maxOffset(lines: number, height: number): number {
  return lines <= height ? 0 : lines - (height - 1);
}
