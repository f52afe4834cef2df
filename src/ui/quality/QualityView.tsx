/**
 * The quality report in the TUI: the same lines as the plain `synthloom quality` report (thresholds,
 * duplicates, diversity, the length histogram, categories and turns against the plan, judge scores),
 * in a fixed-height window. QualityView draws; QualityPanel adds scrolling keys and Esc/q to close.
 * Mount it with a report from `qualityReport(sessionDir)` (src/core/quality/report) or the export's
 * dataset/quality.json.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { renderReport } from '../../core/quality/report/render.js';
import type { QualityReport } from '../../core/quality/report/types.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { colourDisabled, theme } from '../theme.js';

export function qualityLines(report: QualityReport): string[] {
  return renderReport(report, { ascii: colourDisabled() && process.env.TERM === 'dumb', width: 30 });
}

function tone(line: string): string | undefined {
  if (/^\s+FAIL\s/.test(line)) return theme.status.error;
  if (/^\s+pass\s/.test(line)) return theme.status.ok;
  if (/^\S/.test(line)) return theme.text.accent;
  return theme.text.primary;
}

export interface QualityViewProps {
  report: QualityReport;
  height: number;
  offset?: number;
}

export function QualityView({ report, height, offset = 0 }: QualityViewProps) {
  const lines = qualityLines(report);
  const fits = lines.length <= height;
  const room = fits ? height : Math.max(1, height - 1);
  const start = fits ? 0 : Math.min(Math.max(0, offset), Math.max(0, lines.length - room));
  const shown = lines.slice(start, start + room);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, i) => (
        <Text key={`${start + i}`} color={tone(line)} bold={/^\S/.test(line) && theme.emphasis} wrap="truncate-end">
          {line === '' ? ' ' : sanitizeForTerminal(line)}
        </Text>
      ))}
      {fits ? null : (
        <Text color={theme.text.secondary} wrap="truncate-end">
          {`lines ${start + 1}-${start + shown.length} of ${lines.length} · ↑↓ pgup/pgdn to scroll · esc to close`}
        </Text>
      )}
    </Box>
  );
}

export function QualityPanel({ report, height, onClose }: { report: QualityReport; height: number; onClose?: () => void }) {
  const [offset, setOffset] = useState(0);
  const total = qualityLines(report).length;
  const page = Math.max(1, height - 2);
  const clamp = (n: number) => Math.max(0, Math.min(n, Math.max(0, total - (height - 1))));
  useInput((input, key) => {
    if (key.escape || input === 'q') onClose?.();
    else if (key.downArrow || input === 'j') setOffset((o) => clamp(o + 1));
    else if (key.upArrow || input === 'k') setOffset((o) => clamp(o - 1));
    else if (key.pageDown || input === ']') setOffset((o) => clamp(o + page));
    else if (key.pageUp || input === '[') setOffset((o) => clamp(o - page));
  });
  return <QualityView report={report} height={height} offset={offset} />;
}
