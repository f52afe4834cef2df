/**
 * What every screen can reach: the app store and the few things that differ between a real terminal and a
 * test (environment, working directory, the sessions folder, the clock, where to look for Ollama).
 */
import type { BatchClientFactory } from '../core/batch/run-executor.js';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DetectedProviders, ProviderFactory } from '../core/provider.js';
import { createRun, type RunHandle, type StartRunOptions } from '../core/run.js';
import type { AppState, AppStore } from './store.js';

export interface Services {
  env: NodeJS.ProcessEnv;
  /** Relative paths typed by the user (save config) resolve against this. */
  cwd: string;
  /** Where saved sessions are listed from (`./datasets` by default). */
  sessionsRoot: string;
  /** Ollama's address for detection; default http://localhost:11434. */
  ollamaUrl?: string;
  now: () => number;
  /** Opens a run with the providers the composition root made: a screen never creates a provider. */
  openRun: (opts: Omit<StartRunOptions, 'providers'>) => RunHandle;
  /** Which providers the environment offers (keys, a local Ollama). */
  detectProviders: (env: NodeJS.ProcessEnv, opts: { ollamaUrl?: string; timeoutMs?: number }) => Promise<DetectedProviders>;
}

/** What the composition root (src/cli.ts) injects into the TUI. */
export interface ProviderServices {
  providers: ProviderFactory;
  detectProviders: Services['detectProviders'];
  /** Batch clients for provider.mode: batch (src/providers/batch.ts batchClientFactory). */
  batchClients?: BatchClientFactory;
}

const NO_PROVIDERS: ProviderServices = {
  providers: () => {
    throw new Error('no provider factory was injected into the TUI');
  },
  detectProviders: async () => ({ openai: false, anthropic: false, ollama: { available: false, url: '', models: [] } }),
};

export interface AppContextValue {
  store: AppStore;
  services: Services;
}

export const AppContext = createContext<AppContextValue | null>(null);

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('synthloom screens must be rendered inside <App>');
  return value;
}

export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

export function useServices(): Services {
  return useAppContext().services;
}

export function defaultServices(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), injected: ProviderServices = NO_PROVIDERS): Services {
  return {
    openRun: (opts) => createRun({ ...opts, providers: injected.providers, batchClients: injected.batchClients }),
    detectProviders: injected.detectProviders,
    env,
    cwd,
    sessionsRoot: 'datasets',
    ollamaUrl: env.OLLAMA_HOST ? normaliseOllamaHost(env.OLLAMA_HOST) : undefined,
    now: () => Date.now(),
  };
}

/** OLLAMA_HOST may be `0.0.0.0:11434` or a full URL. */
function normaliseOllamaHost(host: string): string {
  const withScheme = /^https?:\/\//.test(host) ? host : `http://${host}`;
  return withScheme.replace('://0.0.0.0', '://localhost');
}
