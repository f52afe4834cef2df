/**
 * One saved session: where it stands (status, progress, spend), its config in brief, failures by kind and
 * the last failure messages; resume (optionally retrying the slots that gave up), rename, duplicate, delete.
 */
import { Box, Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { formatUsd } from '../../core/prices.js';
import { sessionDetails, type SessionDetails } from '../../core/session-admin.js';
import type { SessionInfo } from '../../core/session/index.js';
import { Screen } from '../components/Screen.js';
import { Select, type SelectItem } from '../components/Select.js';
import { useAppState, useServices } from '../context.js';
import { ago } from '../format.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { matches, type BindingId } from '../keys.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import { SessionActionView, type SessionAction } from './SessionActions.js';

function details(dir: string): SessionDetails | string {
  try {
    return sessionDetails(dir);
  } catch (err) {
    return errorMessage(err);
  }
}

export function SessionScreen({ session }: { session: SessionInfo }) {
  const { now, sessionsRoot } = useServices();
  const go = useAppState((s) => s.go);
  const { rows: height } = useTerminalSize();
  const [action, setAction] = useState<SessionAction | null>(null);
  const info = useMemo(() => details(session.dir), [session.dir]);
  useInput(
    (input, key) => {
      if (matches('back', input, key)) go({ screen: 'home' });
    },
    { isActive: action === null },
  );
  const finished = session.status === 'done' && session.failedSlots === 0;
  const items: SelectItem[] = [
    ...(finished ? [] : [{ label: 'Resume', value: 'resume', hint: `fill the ${Math.max(0, session.target - session.done)} open slots` }]),
    ...(session.failedSlots > 0
      ? [{ label: 'Resume and retry failed slots', value: 'retry', hint: `${session.failedSlots} slots gave up` }]
      : []),
    { label: 'Rename', value: 'rename' },
    { label: 'Duplicate as a new session', value: 'duplicate' },
    { label: 'Delete', value: 'delete', hint: 'asks first' },
    { label: 'Back', value: 'back' },
  ];
  const rows: [string, string][] = [
    ['Folder', session.dir],
    ['Status', `${session.status} · changed ${ago(session.updatedAt, now())} (${session.updatedAt.slice(0, 16).replace('T', ' ')})${session.reason ? ` · ${session.reason}` : ''}`],
    ['Progress', `${session.done}/${session.target} samples${session.unfilled ? `, ${session.unfilled} unfilled` : ''}${session.failedSlots ? ` (${session.failedSlots} gave up)` : ''} · ${formatUsd(session.costUsd)} spent`],
    ['Model', `${session.provider} ${session.model}`],
    ...(typeof info === 'string' ? [['Config', info] as [string, string]] : info.config),
  ];
  const failures = typeof info === 'string' ? null : info;
  // Header, margins, failures, complete, footer, the list and one spare: the rest is for the last messages.
  const room = Math.max(0, height - rows.length - items.length - 8);
  const messages = failures ? failures.lastMessages.slice(-Math.max(0, room)) : [];
  const keys: BindingId[] = action === null ? ['move', 'choose', 'close'] : action === 'delete' ? ['move', 'choose', 'back'] : ['accept', 'back'];
  return (
    <Screen title={`Session ${sanitizeLine(session.name)}`} keys={keys}>
      {rows.map(([label, value]) => (
        <Text key={label} wrap="truncate-end">
          <Text color={theme.text.secondary}>{label.padEnd(10)}</Text>
          {sanitizeLine(value)}
        </Text>
      ))}
      {failures ? (
        <Text wrap="truncate-end">
          <Text color={theme.text.secondary}>{'Failures'.padEnd(10)}</Text>
          {failures.failures.length === 0 ? 'none' : failures.failures.map((f) => `${f.kind} ${f.count}`).join(' · ')}
        </Text>
      ) : null}
      {messages.map((m, i) => (
        <Text key={`${m.at}:${i}`} wrap="truncate-end" color={theme.text.secondary}>
          {`  ${m.kind}: ${sanitizeLine(m.message)}`}
        </Text>
      ))}
      {finished ? (
        <Text color={theme.status.ok} wrap="truncate-end">{`Complete: the dataset is in ${sanitizeLine(session.dir)}/dataset`}</Text>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        {action ? (
          <SessionActionView
            action={action}
            session={session}
            root={sessionsRoot}
            onDone={(message) => {
              setAction(null);
              if (message) go({ screen: 'home', notice: message });
            }}
          />
        ) : (
          <Select
            items={items}
            onSelect={(value) => {
              if (value === 'back') go({ screen: 'home' });
              else if (value === 'rename' || value === 'duplicate' || value === 'delete') setAction(value);
              else go({ screen: 'resume', dir: session.dir, retryFailed: value === 'retry', acceptPlanChange: false });
            }}
          />
        )}
      </Box>
    </Screen>
  );
}
