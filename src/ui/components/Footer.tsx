/** The key hints under every screen, drawn from the keybinding table, and the Ctrl+C warning when it stands. */
import { Box, Text } from 'ink';
import { useEffect } from 'react';
import { useAppState } from '../context.js';
import { hintText, type BindingId } from '../keys.js';
import { CTRL_C_WINDOW_MS } from '../store.js';
import { theme } from '../theme.js';

export function Footer({ keys }: { keys: readonly BindingId[] }) {
  const ctrlCAt = useAppState((s) => s.ctrlCAt);
  const running = useAppState((s) => s.run !== null && s.run.end === null && s.run.error === null);
  const clearCtrlC = useAppState((s) => s.clearCtrlC);
  const typing = useAppState((s) => s.typing > 0);
  useEffect(() => {
    if (ctrlCAt === null) return;
    const timer = setTimeout(clearCtrlC, CTRL_C_WINDOW_MS);
    return () => clearTimeout(timer);
  }, [ctrlCAt, clearCtrlC]);
  if (ctrlCAt !== null) {
    const what = running ? 'stop the run (samples so far are kept) and quit' : 'quit';
    return (
      <Text color={theme.status.warn} wrap="truncate-end">
        {`Press Ctrl+C again within 3 s to ${what}.`}
      </Text>
    );
  }
  return (
    <Box>
      <Text color={theme.text.secondary} wrap="truncate-end">
        {hintText([...keys, ...(typing ? [] : (['help'] as const)), ...(keys.includes('quitKey') ? [] : (['quit'] as const))])}
      </Text>
    </Box>
  );
}
