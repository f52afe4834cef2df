import React from 'react';
import { render } from 'ink';
import type { RunHandle } from '../../core/run.js';
import { RunScreen } from './RunScreen.js';

/**
 * Mounts the run dashboard on the terminal, starts the run and resolves with the process exit code when
 * the user leaves. Only for a TTY; callers without one use the plain reporter. Ctrl+C arrives as a key
 * (raw mode) and the screen asks before stopping.
 */
export async function showRunScreen(handle: RunHandle): Promise<number> {
  let code = 1;
  const app = render(
    <RunScreen
      handle={handle}
      onExit={(c) => {
        code = c;
        app.unmount();
      }}
    />,
    { exitOnCtrlC: false, maxFps: 20, patchConsole: false },
  );
  await app.waitUntilExit();
  return code;
}
