/**
 * The TUI's entry point, called by src/cli.ts only when stdin and stdout are terminals. Nothing here imports
 * Ink statically: NO_COLOR must turn colour off (FORCE_COLOR=0) before Ink and chalk are first loaded.
 */
import type { Config } from '../core/config.js';
import type { ProviderServices } from './context.js';
import { colourDisabled } from './theme.js';

export type TuiOptions =
  | { screen: 'home'; root?: string }
  | { screen: 'wizard'; initial?: Partial<Config> }
  | { screen: 'plan'; config: Config; yes?: boolean; /** The config file's folder (sources, examples). */ baseDir?: string }
  | { screen: 'resume'; dir: string; yes?: boolean; retryFailed?: boolean };

export interface TuiStreams {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** When the terminal gets narrower, old lines re-wrap and Ink's erase misses some: clear the screen first. */
function clearOnShrink(stdout: NodeJS.WriteStream): () => void {
  let columns = stdout.columns;
  const onResize = (): void => {
    if (stdout.columns < columns) stdout.write('\u001B[2J\u001B[H');
    columns = stdout.columns;
  };
  stdout.prependListener('resize', onResize); // before Ink's own handler redraws
  return () => stdout.off('resize', onResize);
}

/** Runs the TUI until the user quits or the run ends; resolves with the process exit code. */
export async function startTui(opts: TuiOptions, streams: TuiStreams = {}, injected?: ProviderServices): Promise<number> {
  const env = streams.env ?? process.env;
  if (colourDisabled(env)) process.env.FORCE_COLOR = '0';
  // React's development build costs the dashboard a third more CPU; nothing here needs its checks.
  process.env.NODE_ENV ??= 'production';
  const [{ render }, React, { App }, { createAppStore }, { defaultServices }, { buildPlan }, { startWizard }] =
    await Promise.all([
      import('ink'),
      import('react'),
      import('./App.js'),
      import('./store.js'),
      import('./context.js'),
      import('../core/plan.js'),
      import('./wizard/flow.js'),
    ]);
  const services = defaultServices(env, streams.cwd, injected);
  if (opts.screen === 'home' && opts.root) services.sessionsRoot = opts.root;
  if (opts.screen === 'plan' && opts.baseDir) {
    const open = services.openRun;
    const baseDir = opts.baseDir;
    services.openRun = (o) => open({ baseDir, ...o });
  }

  let finish: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const store = createAppStore({ onExit: (code) => finish(code), origin: opts.screen === 'home' ? 'home' : 'direct' });
  const state = store.getState();
  if (opts.screen === 'wizard') state.openWizard(opts.initial);
  else if (opts.screen === 'plan') {
    const plan = buildPlan(opts.config);
    store.setState({ wizard: startWizard(opts.config) });
    // --yes skips the approval; a missing key or a locked session throws here, before Ink starts.
    if (opts.yes) state.startRun(services.openRun({ config: opts.config, plan, onBudget: 'wait' }));
    else state.showPlan(plan);
  } else if (opts.screen === 'resume') {
    state.go({ screen: 'resume', dir: opts.dir, retryFailed: Boolean(opts.retryFailed), acceptPlanChange: Boolean(opts.yes) });
  }

  const stdout = streams.stdout ?? process.stdout;
  const stopClearing = clearOnShrink(stdout);
  const instance = render(React.createElement(App, { store, services }), {
    stdin: streams.stdin ?? process.stdin,
    stdout,
    stderr: streams.stderr ?? process.stderr,
    exitOnCtrlC: false,
  });
  // SIGTERM (a closed terminal, a service manager): stop the run gracefully like the headless path does.
  const onTerm = (): void => {
    const handle = store.getState().run?.handle;
    if (!handle) return finish(130);
    handle.events.on((e) => {
      if (e.type === 'run_end') finish(130);
    });
    handle.stop();
  };
  process.on('SIGTERM', onTerm);
  try {
    const code = await Promise.race([exited, instance.waitUntilExit().then(() => 0)]);
    return code;
  } finally {
    process.off('SIGTERM', onTerm);
    instance.unmount();
    stopClearing();
  }
}
