/**
 * Every wait shows a spinner (ink-spinner) and what is being waited for: "Looking for API keys...",
 * "Opening the session...". One component so every wait looks and reads the same.
 */
import { Text } from 'ink';
import Spinner from 'ink-spinner';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';

export interface WaitProps {
  /** What is being waited for, as a short phrase: "Expanding topics". */
  label: string;
  /** Dimmed text after it: progress, the key that stops it. */
  detail?: string;
}

export function Wait({ label, detail }: WaitProps) {
  return (
    <Text wrap="truncate-end">
      <Text color={theme.text.accent}>
        <Spinner type="dots" />
      </Text>
      {` ${sanitizeLine(label)}`}
      {detail ? <Text color={theme.text.secondary}>{` ${sanitizeLine(detail)}`}</Text> : null}
    </Text>
  );
}

/** The spinner alone, for a status word inside another line (the run's "starting"). */
export function SpinnerMark() {
  return <Spinner type="dots" />;
}
