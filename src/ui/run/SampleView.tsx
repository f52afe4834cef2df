import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import { theme } from '../theme.js';
import { sampleHeading, sampleLines, type SampleLine } from './sampleLines.js';
import type { Sample } from '../../core/types.js';

function roleColor(role: SampleLine['role']): string | undefined {
  if (role === 'user') return theme.text.accent;
  if (role === 'assistant') return theme.text.primary;
  return theme.text.secondary;
}

/** One sample: a heading (category › topic) and its role-labelled turns, exactly `maxLines` tall at most. */
export function SampleView({ sample, width, maxLines, title }: { sample: Sample; width: number; maxLines: number; title?: string }): React.JSX.Element {
  const lines = useMemo(() => sampleLines(sample, width, maxLines - 1), [sample, width, maxLines]);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" color={theme.text.secondary}>{`${title ? `${title} · ` : ''}${sampleHeading(sample)}${sample.demo ? ' · demo' : ''}`}</Text>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={roleColor(line.role)}>{line.text}</Text>
      ))}
    </Box>
  );
}
