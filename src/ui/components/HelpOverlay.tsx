/**
 * The `?` help: every key of the screen on show, from the same binding table its footer is drawn from, so
 * the help can never disagree with the footer or with what a key does.
 */
import { Box, Text } from 'ink';
import { helpRows, KEYS, type KeyBinding } from '../keys.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import { Header } from './Header.js';

export interface HelpOverlayProps {
  title: string;
  bindings: readonly KeyBinding[];
  /** Rows available; the list is cut (with a count) below this. */
  height?: number;
}

export function HelpOverlay({ title, bindings, height = 24 }: HelpOverlayProps) {
  const rows = helpRows([...bindings, KEYS.quit]);
  const width = Math.min(18, Math.max(...rows.map((r) => r.keys.length)) + 2);
  const room = Math.max(3, height - 6);
  const shown = rows.length > room ? rows.slice(0, room - 1) : rows;
  return (
    <Box flexDirection="column">
      <Header title={`Keys · ${sanitizeLine(title)}`} />
      <Box flexDirection="column" marginTop={1} marginBottom={1}>
        {shown.map((row) => (
          <Text key={`${row.keys}:${row.action}`} wrap="truncate-end">
            <Text color={theme.text.accent}>{row.keys.padEnd(width)}</Text>
            {row.action}
          </Text>
        ))}
        {shown.length < rows.length ? <Text color={theme.text.secondary}>{`… ${rows.length - shown.length} more`}</Text> : null}
      </Box>
      <Text color={theme.text.secondary} wrap="truncate-end">
        esc/? close help
      </Text>
    </Box>
  );
}
