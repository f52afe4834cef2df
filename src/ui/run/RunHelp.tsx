/** `?` on the run screens: the keys of the dashboard (or the done screen) from the same table as its footer. */
import React from 'react';
import { useInput } from 'ink';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { dashboardKeys, doneKeys } from './keys.js';

export function RunHelp({ finished, height, onClose }: { finished: boolean; height: number; onClose: () => void }): React.JSX.Element {
  useInput((input, key) => {
    if (key.escape || input === '?') onClose();
  });
  const table = finished ? doneKeys : dashboardKeys;
  return <HelpOverlay title={finished ? 'Run done' : 'Run'} bindings={Object.values(table)} height={height} />;
}
