/**
 * The app shell: a tiny router over the store's route, and Ctrl+C (which arrives as input in raw mode):
 * the first press warns, a second within 3 s quits. The run dashboard handles its own quit keys.
 */
import { useInput, useStdout } from 'ink';
import { useContext, useEffect, useMemo } from 'react';
import { AppContext, useAppState, useServices, type Services } from './context.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { HomeScreen } from './home/HomeScreen.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { SessionScreen } from './home/SessionScreen.js';
import { matches } from './keys.js';
import { PlanScreen } from './plan/PlanScreen.js';
import { ResumeScreen } from './resume/ResumeScreen.js';
import { RunView } from './RunView.js';
import type { AppStore } from './store.js';
import { WizardScreen } from './wizard/WizardScreen.js';

export interface AppProps {
  store: AppStore;
  services: Services;
}

/** Erases the screen and homes the cursor (the scrollback is left alone). */
export const CLEAR_SCREEN = '\u001B[2J\u001B[H';

export function App({ store, services }: AppProps) {
  const value = useMemo(() => ({ store, services }), [store, services]);
  const { stdout } = useStdout();
  // The run's milestone lines are <Static> output, written above the live region for good: leaving the run
  // for another screen would leave them above it. The store notifies before React renders the new screen.
  useEffect(
    () =>
      store.subscribe((next, previous) => {
        if (previous.route.screen === 'run' && next.route.screen !== 'run' && (stdout as NodeJS.WriteStream).isTTY) {
          stdout.write(CLEAR_SCREEN);
        }
      }),
    [store, stdout],
  );
  return (
    <AppContext.Provider value={value}>
      <Router />
    </AppContext.Provider>
  );
}

function Router() {
  const route = useAppState((s) => s.route);
  const plan = useAppState((s) => s.plan);
  const help = useAppState((s) => s.help);
  const pressCtrlC = useAppState((s) => s.pressCtrlC);
  const { rows } = useTerminalSize();
  const { now } = useServices();
  const store = useContext(AppContext)!.store;
  useInput(
    (input, key) => {
      if (matches('quit', input, key)) {
        pressCtrlC(now());
        return;
      }
      const state = store.getState();
      if (state.help) {
        if (key.escape || input === '?' || input === 'q') state.closeHelp();
        return;
      }
      if (state.typing > 0) return; // a focused text field takes letters as text
      if (matches('help', input, key)) state.openHelp();
      else if (input === 'q' && route.screen === 'home') state.quit(0);
      else if (input === 'q' && route.screen === 'session') state.go({ screen: 'home' });
    },
    { isActive: route.screen !== 'run' },
  );
  if (help) return <HelpOverlay title={help.title} bindings={help.bindings} height={rows} />;
  switch (route.screen) {
    case 'home':
      return <HomeScreen notice={route.notice} />;
    case 'session':
      return <SessionScreen session={route.session} />;
    case 'wizard':
      return <WizardScreen />;
    case 'plan':
      return plan ? <PlanScreen plan={plan} /> : <HomeScreen />;
    case 'resume':
      return <ResumeScreen dir={route.dir} retryFailed={route.retryFailed} acceptPlanChange={route.acceptPlanChange} />;
    case 'run':
      return <RunView />;
  }
}
