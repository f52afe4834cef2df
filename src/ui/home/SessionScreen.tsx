/** One saved session: where it stands, and resume (optionally retrying the slots that gave up). */
import { Box, Text, useInput } from 'ink';
import { formatUsd } from '../../core/prices.js';
import type { SessionInfo } from '../../core/session.js';
import { Screen } from '../components/Screen.js';
import { Select, type SelectItem } from '../components/Select.js';
import { useAppState, useServices } from '../context.js';
import { ago } from '../format.js';
import { matches } from '../keys.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';

export function SessionScreen({ session }: { session: SessionInfo }) {
  const { now } = useServices();
  const go = useAppState((s) => s.go);
  useInput((input, key) => {
    if (matches('back', input, key)) go({ screen: 'home' });
  });
  const finished = session.status === 'done' && session.failedSlots === 0;
  const items: SelectItem[] = [
    ...(finished ? [] : [{ label: 'Resume', value: 'resume', hint: `fill the ${Math.max(0, session.target - session.done)} open slots` }]),
    ...(session.failedSlots > 0
      ? [{ label: 'Resume and retry failed slots', value: 'retry', hint: `${session.failedSlots} slots gave up` }]
      : []),
    { label: 'Back', value: 'back' },
  ];
  const rows: [string, string][] = [
    ['Folder', session.dir],
    ['Status', session.status],
    ['Progress', `${session.done}/${session.target} samples${session.failedSlots ? `, ${session.failedSlots} failed slots` : ''}`],
    ['Spent', formatUsd(session.costUsd)],
    ['Model', `${session.provider} ${session.model}`],
    ['Changed', `${ago(session.updatedAt, now())} (${session.updatedAt.slice(0, 19).replace('T', ' ')})`],
  ];
  return (
    <Screen title={`Session ${sanitizeLine(session.name)}`} keys={['move', 'choose', 'close']}>
      {rows.map(([label, value]) => (
        <Text key={label} wrap="truncate-end">
          <Text color={theme.text.secondary}>{label.padEnd(10)}</Text>
          {sanitizeLine(value)}
        </Text>
      ))}
      {finished ? (
        <Text color={theme.status.ok} wrap="truncate-end">{`Complete: the dataset is in ${sanitizeLine(session.dir)}/dataset`}</Text>
      ) : null}
      <Box marginTop={1}>
        <Select
          items={items}
          onSelect={(value) => {
            if (value === 'back') go({ screen: 'home' });
            else go({ screen: 'resume', dir: session.dir, retryFailed: value === 'retry', acceptPlanChange: false });
          }}
        />
      </Box>
    </Screen>
  );
}
