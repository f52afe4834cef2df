/**
 * Drives the real app in ink-testing-library: every key is written inside act(), then we wait for the frame
 * to change (or for a text to appear) instead of sleeping a fixed time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { act } from 'react';
import { App } from '../../src/ui/App.js';
import { detectProviders } from '../../src/providers/detect.js';
import { providerFactory } from '../../src/providers/index.js';
import { defaultServices, type Services } from '../../src/ui/context.js';
import { createAppStore, type StoreOptions } from '../../src/ui/store.js';
import { KEY } from '../keys.js';

export { KEY } from '../keys.js';

/** An address where nothing listens: Ollama detection fails fast and never reaches a real server. */
export const NO_OLLAMA = 'http://127.0.0.1:9';

export function tempDir(prefix = 'synthloom-ui-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Harness {
  store: ReturnType<typeof createAppStore>;
  exits: number[];
  services: Services;
  frame(): string;
  /** Moves the app's clock (the Ctrl+C window) without waiting. */
  advanceClock(ms: number): void;
  /** Writes a key and waits until the frame changes. */
  press(key: string): Promise<string>;
  /** Writes text (as a paste, one input event) and waits until the frame changes. */
  type(text: string): Promise<string>;
  /** Writes a key without waiting for the frame to change (when the app is expected to quit or ignore it). */
  send(key: string): Promise<void>;
  /** Changes app state from the test (inside act, as React wants). */
  update(fn: () => void): Promise<void>;
  /** Presses Backspace up to `count` times, one key at a time (a burst would arrive as one input). */
  erase(count: number): Promise<string>;
  /** Waits until the frame matches. */
  waitFor(match: RegExp | string | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  unmount(): void;
}

export function renderApp(options: Partial<StoreOptions> & { services?: Partial<Services> } = {}): Harness {
  const exits: number[] = [];
  const { services: overrides, ...storeOptions } = options;
  const cwd = overrides?.cwd ?? tempDir();
  let clock = 1_000_000;
  // The real providers and detection, as src/cli.ts injects them, reading keys from the test's env.
  const env = overrides?.env ?? {};
  const services: Services = {
    ...defaultServices(env, cwd, { providers: providerFactory(env), detectProviders }),
    sessionsRoot: join(cwd, 'datasets'),
    ollamaUrl: NO_OLLAMA,
    now: () => clock,
    ...overrides,
  };
  const store = createAppStore({ ...storeOptions, onExit: (code) => exits.push(code) });
  let rendered: ReturnType<typeof render> | undefined;
  // Mounting and unmounting inside act keeps React 19 from warning about updates outside it.
  void act(() => {
    rendered = render(<App store={store} services={services} />);
  });
  const app = rendered!;
  // The text field draws its cursor in reverse video (SGR 7/27): tests read the text without it.
  // eslint-disable-next-line no-control-regex
  const frame = (): string => (app.lastFrame() ?? '').replace(/\u001b\[(?:7|27)m/g, '');

  const waitFor: Harness['waitFor'] = async (match, timeoutMs = 5000) => {
    const test =
      typeof match === 'function' ? match : typeof match === 'string' ? (f: string) => f.includes(match) : (f: string) => match.test(f);
    const deadline = Date.now() + timeoutMs;
    while (!test(frame())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(match)}; the screen shows:\n${frame()}`);
      await act(async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
      });
    }
    return frame();
  };
  const press = async (key: string): Promise<string> => {
    const before = frame();
    await act(async () => {
      app.stdin.write(key);
    });
    return waitFor((f) => f !== before);
  };
  const erase = async (count: number): Promise<string> => {
    // One key per act(): a burst of backspaces would arrive as one input. The frame may not change on every
    // key (a trailing space), so this does not wait for a change.
    for (let i = 0; i < count; i++) {
      await act(async () => {
        app.stdin.write(KEY.backspace);
        await new Promise((resolve) => setTimeout(resolve, 2));
      });
    }
    return frame();
  };
  const send = async (key: string): Promise<void> => {
    await act(async () => {
      app.stdin.write(key);
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  };
  return {
    store,
    erase,
    send,
    update: async (fn: () => void) => {
      await act(async () => fn());
    },
    exits,
    services,
    advanceClock: (ms: number) => {
      clock += ms;
    },
    frame,
    press,
    type: press,
    waitFor,
    unmount: () => {
      void act(() => app.unmount());
    },
  };
}
