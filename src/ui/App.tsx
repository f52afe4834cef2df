/**
 * The app shell: a tiny router over the store's route, and Ctrl+C (which arrives as input in raw mode):
 * the first press warns, a second within 3 s quits. The run dashboard handles its own quit keys.
 */
import { useInput } from 'ink';
import { useMemo } from 'react';
import { AppContext, useAppState, useServices, type Services } from './context.js';
import { HomeScreen } from './home/HomeScreen.js';
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

export function App({ store, services }: AppProps) {
  const value = useMemo(() => ({ store, services }), [store, services]);
  return (
    <AppContext.Provider value={value}>
      <Router />
    </AppContext.Provider>
  );
}

function Router() {
  const route = useAppState((s) => s.route);
  const plan = useAppState((s) => s.plan);
  const pressCtrlC = useAppState((s) => s.pressCtrlC);
  const { now } = useServices();
  useInput(
    (input, key) => {
      if (matches('quit', input, key)) pressCtrlC(now());
    },
    { isActive: route.screen !== 'run' },
  );
  switch (route.screen) {
    case 'home':
      return <HomeScreen />;
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
