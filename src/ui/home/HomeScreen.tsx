/** Home: start a new dataset, open or resume a saved session, start from a preset, or quit. */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { formatUsd } from '../../core/prices.js';
import { listSessions, type SessionInfo } from '../../core/session/index.js';
import { Screen } from '../components/Screen.js';
import { Select, type SelectItem } from '../components/Select.js';
import { useAppState, useServices } from '../context.js';
import { ago } from '../format.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { listPresets } from '../../core/presets.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';

/** Rows the frame takes around the list: header, margins, summary line, footer, one spare. */
const CHROME_ROWS = 7;

export function sessionHint(s: SessionInfo, now: number): string {
  return `${s.status} · ${s.done}/${s.target} · ${formatUsd(s.costUsd)} · ${ago(s.updatedAt, now)}`;
}

export function HomeScreen({ notice }: { notice?: string } = {}) {
  const services = useServices();
  const go = useAppState((s) => s.go);
  const openWizard = useAppState((s) => s.openWizard);
  const quit = useAppState((s) => s.quit);
  const { rows } = useTerminalSize();
  const sessions = useMemo(() => listSessions(services.sessionsRoot), [services.sessionsRoot]);
  const presets = useMemo(() => listPresets(), []);
  const now = services.now();
  const items: SelectItem[] = [
    { label: 'New dataset', value: 'new', hint: 'answer a few questions, see the plan and its cost' },
    ...sessions.map((s) => ({ label: `Open ${s.name}`, value: `session:${s.dir}`, hint: sessionHint(s, now) })),
    ...presets.map((p) => ({ label: `Preset ${p.name}`, value: `preset:${p.name}`, hint: p.task })),
    { label: 'Quit', value: 'quit' },
  ];
  const choose = (value: string): void => {
    if (value === 'new') openWizard();
    else if (value === 'quit') quit(0);
    else if (value.startsWith('session:')) {
      const session = sessions.find((s) => `session:${s.dir}` === value);
      if (session) go({ screen: 'session', session });
    } else if (value.startsWith('preset:')) {
      const preset = presets.find((p) => `preset:${p.name}` === value);
      if (preset) openWizard(preset.config);
    }
  };
  const where = services.sessionsRoot;
  return (
    <Screen title="Home" keys={['move', 'choose', 'quitKey']}>
      <Box marginBottom={1}>
        <Text color={theme.text.secondary} wrap="truncate-end">
          {`${sessions.length} saved session${sessions.length === 1 ? '' : 's'} in ${where} · ${presets.length} preset${presets.length === 1 ? '' : 's'}`}
        </Text>
      </Box>
      <Select items={items} onSelect={choose} limit={Math.max(3, rows - CHROME_ROWS - 1 - (notice ? 1 : 0))} />
      {notice ? (
        <Text color={theme.status.ok} wrap="truncate-end">
          {sanitizeLine(notice)}
        </Text>
      ) : null}
    </Screen>
  );
}
