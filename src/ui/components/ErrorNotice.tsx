/** A problem the user must read before going on: one line of reason, then Enter or Esc to go back. */
import { Box, Text, useInput } from 'ink';
import { matches } from '../keys.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { theme } from '../theme.js';

export function ErrorNotice({ message, onBack, action = 'go back' }: { message: string; onBack: () => void; action?: string }) {
  useInput((input, key) => {
    if (matches('back', input, key) || matches('choose', input, key)) onBack();
  });
  return (
    <Box flexDirection="column">
      <Text color={theme.status.error} wrap="wrap">{`✗ ${sanitizeForTerminal(message)}`}</Text>
      <Text color={theme.text.secondary}>{`Press Enter or Esc to ${action}.`}</Text>
    </Box>
  );
}
