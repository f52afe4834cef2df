/**
 * The app's state outside the run dashboard: which screen is up, the wizard's answers, the plan waiting for
 * approval, the run once approved, and the Ctrl+C warning. One vanilla zustand store per app; components read
 * it with `useStore(store, selector)` and call its actions, never each other.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Config } from '../core/config.js';
import type { EngineEvent, EventOf, ProgressCounts } from '../core/events.js';
import { errorMessage } from '../core/errors.js';
import { buildPlan, type Plan } from '../core/plan.js';
import type { Topic } from '../core/types.js';
import type { RunHandle } from '../core/run.js';
import type { SessionInfo } from '../core/session/index.js';
import type { KeyBinding } from './keys.js';
import { answer, goBack, startWizard, type WizardState } from './wizard/flow.js';
import { STEPS, type StepId } from './wizard/steps.js';

export type Route =
  | { screen: 'home'; notice?: string }
  | { screen: 'session'; session: SessionInfo }
  | { screen: 'wizard' }
  | { screen: 'plan' }
  | { screen: 'run' }
  | { screen: 'resume'; dir: string; retryFailed: boolean; acceptPlanChange: boolean };

export interface RunView {
  handle: RunHandle;
  progress: ProgressCounts | null;
  end: EventOf<'run_end'> | null;
  /** A start failure (bad key, locked session): one line. */
  error: string | null;
}

/** Press Ctrl+C twice within this time to quit. */
export const CTRL_C_WINDOW_MS = 3000;

export interface AppState {
  route: Route;
  /** Where Cancel and Esc on the first question lead: the home screen, or out of the app. */
  origin: 'home' | 'direct';
  wizard: WizardState | null;
  wizardError: string | null;
  plan: Plan | null;
  run: RunView | null;
  /** The run a topic preview opened (its session holds the preview's journal and spend): approval starts it. */
  preview: RunHandle | null;
  /** Time of the first Ctrl+C, while its warning stands. */
  ctrlCAt: number | null;
  exitCode: number | null;
  /** The keys of the screen on show (its footer's table), for the `?` help. */
  screenKeys: { title: string; bindings: KeyBinding[] } | null;
  /** The `?` help overlay, while open. */
  help: { title: string; bindings: KeyBinding[] } | null;
  /** Text fields with focus: while one has, letters are text (no `q`, no `?`). */
  typing: number;

  go(route: Route): void;
  openWizard(initial?: Partial<Config>, at?: StepId): void;
  /** The plan screen's "edit": back into the wizard at one question, then back to the plan. */
  editField(at: StepId): void;
  answerStep(draft: Config): void;
  backStep(): void;
  showPlan(plan: Plan): void;
  setPlan(plan: Plan): void;
  /** Leaves the current flow: home when the app started there, else quits with `code`. */
  leave(code: number): void;
  startRun(handle: RunHandle): void;
  setPreview(handle: RunHandle | null): void;
  runEvent(event: EngineEvent): void;
  runFailed(message: string): void;
  pressCtrlC(now: number): 'warned' | 'quit';
  clearCtrlC(): void;
  quit(code: number): void;
  setScreenKeys(title: string, bindings: KeyBinding[]): void;
  openHelp(): void;
  closeHelp(): void;
  setTyping(delta: 1 | -1): void;
}

export type AppStore = StoreApi<AppState>;

export interface StoreOptions {
  route?: Route;
  origin?: AppState['origin'];
  wizard?: WizardState | null;
  plan?: Plan | null;
  /** Called once when the app decides to quit; the shell unmounts Ink and resolves startTui. */
  onExit: (code: number) => void;
}

/** An expanded (paid-for) topic tree survives an edit that does not change what the topics are about. */
function keptTree(previous: Plan | null, config: Config): Topic | null {
  if (!previous?.tree) return null;
  const before = previous.config;
  const same =
    before.task === config.task &&
    before.domain === config.domain &&
    JSON.stringify(before.topics) === JSON.stringify(config.topics);
  return same ? previous.tree : null;
}

export function createAppStore(options: StoreOptions): AppStore {
  return createStore<AppState>()((set, get) => ({
    route: options.route ?? { screen: 'home' },
    origin: options.origin ?? 'home',
    wizard: options.wizard ?? null,
    wizardError: null,
    plan: options.plan ?? null,
    run: null,
    preview: null,
    ctrlCAt: null,
    exitCode: null,
    screenKeys: null,
    help: null,
    typing: 0,

    go: (route) => set({ route }),
    openWizard: (initial, at) => set({ wizard: startWizard(initial, at), wizardError: null, route: { screen: 'wizard' } }),
    editField: (at) => {
      const { plan, wizard } = get();
      if (!plan) return;
      const base = wizard ?? startWizard(plan.config);
      // Coming from the plan, every value is an answer (shown for editing), not a default.
      const answered = STEPS.map((s) => s.id);
      set({ wizard: { ...base, draft: plan.config, at, answered, returnToPlan: true }, wizardError: null, route: { screen: 'wizard' } });
    },
    answerStep: (draft) => {
      const { wizard } = get();
      if (!wizard) return;
      const outcome = answer(wizard, draft);
      if (outcome.kind === 'next') set({ wizard: outcome.state, wizardError: null });
      else if (outcome.kind === 'invalid') set({ wizard: outcome.state, wizardError: outcome.error });
      else {
        try {
          const plan = buildPlan(outcome.config, keptTree(get().plan, outcome.config));
          set({ wizard: { ...outcome.state, returnToPlan: false }, wizardError: null, plan, route: { screen: 'plan' } });
        } catch (err) {
          set({ wizard: outcome.state, wizardError: errorMessage(err) });
        }
      }
    },
    backStep: () => {
      const { wizard, plan, origin } = get();
      if (!wizard) return;
      const previous = goBack(wizard);
      if (previous) set({ wizard: previous, wizardError: null });
      else if (wizard.returnToPlan && plan) set({ wizard: { ...wizard, returnToPlan: false }, route: { screen: 'plan' } });
      else if (origin === 'home') set({ route: { screen: 'home' } });
      else get().quit(130);
    },
    showPlan: (plan) => set({ plan, route: { screen: 'plan' } }),
    setPlan: (plan) => set({ plan }),
    leave: (code) => {
      get().preview?.close();
      if (get().origin === 'home') set({ route: { screen: 'home' }, plan: null, wizard: null, run: null, preview: null });
      else get().quit(code);
    },
    startRun: (handle) => {
      const preview = get().preview;
      if (preview && preview !== handle) preview.close();
      set({ run: { handle, progress: null, end: null, error: null }, route: { screen: 'run' }, preview: null });
    },
    setPreview: (handle) => {
      const old = get().preview;
      if (old && old !== handle) old.close();
      set({ preview: handle });
    },
    runEvent: (event) => {
      const run = get().run;
      if (!run) return;
      if (event.type === 'progress') {
        const { type: _type, ts: _ts, ...progress } = event;
        set({ run: { ...run, progress } });
      } else if (event.type === 'run_end') {
        set({ run: { ...run, end: event } });
        const code = get().exitCode;
        if (code !== null) options.onExit(code); // a quit was waiting for the run to wind down
      }
    },
    runFailed: (message) => {
      const run = get().run;
      if (run) set({ run: { ...run, error: message } });
    },
    pressCtrlC: (now) => {
      const first = get().ctrlCAt;
      if (first !== null && now - first <= CTRL_C_WINDOW_MS) {
        get().quit(130);
        return 'quit';
      }
      set({ ctrlCAt: now });
      return 'warned';
    },
    clearCtrlC: () => set({ ctrlCAt: null }),
    setScreenKeys: (title, bindings) => {
      const before = get().screenKeys;
      const same =
        before?.title === title &&
        before.bindings.length === bindings.length &&
        before.bindings.every((b, i) => b === bindings[i]);
      if (!same) set({ screenKeys: { title, bindings } });
    },
    openHelp: () => {
      const keys = get().screenKeys;
      if (keys) set({ help: keys });
    },
    closeHelp: () => set({ help: null }),
    setTyping: (delta) => set({ typing: Math.max(0, get().typing + delta) }),
    quit: (code) => {
      const { exitCode, run } = get();
      if (exitCode !== null) return;
      set({ exitCode: code });
      get().preview?.close();
      if (run && !run.end && !run.error) {
        run.handle.stop(); // graceful: in-flight requests finish and are saved; run_end then exits
        return;
      }
      options.onExit(code);
    },
  }));
}
