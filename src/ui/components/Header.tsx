/** One line at the top: where the user is, and on the right how far along (step 3 of 18). */
import { Box, Text } from 'ink';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';

export function Header({ title, right }: { title: string; right?: string }) {
  return (
    <Box justifyContent="space-between">
      <Text bold={theme.emphasis} color={theme.text.accent} wrap="truncate-end">
        {`synthloom · ${sanitizeLine(title)}`}
      </Text>
      {right ? <Text color={theme.text.secondary}>{` ${right}`}</Text> : null}
    </Box>
  );
}
