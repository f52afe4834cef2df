/**
 * The loopback test server in its own process (test/server/main.ts), so its CPU is not counted against the
 * engine and the two cores are shared as they would be with a real provider. Knobs and stats go through
 * the server's /__control endpoints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Knobs, ServerStats } from '../test/server/index.js';
import { ROOT } from './paths.js';

export interface BenchServer {
  url: string;
  setKnobs(knobs: Partial<Knobs>): Promise<void>;
  stats(): Promise<ServerStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

export async function startServerProcess(knobs: Partial<Knobs> = {}): Promise<BenchServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'server', 'main.ts'), '--knobs', JSON.stringify(knobs)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await firstUrl(child);
  const control = async (path: string, init?: RequestInit): Promise<unknown> => {
    const response = await fetch(`${url}/__control/${path}`, init);
    if (!response.ok) throw new Error(`test server ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    url,
    setKnobs: async (partial) => {
      await control('knobs', { method: 'POST', body: JSON.stringify(partial), headers: { 'content-type': 'application/json' } });
    },
    stats: async () => (await control('stats')) as ServerStats,
    resetStats: async () => {
      await control('reset', { method: 'POST' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function firstUrl(child: ChildProcess): Promise<string> {
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the test server exited (${code}) before it listened`))));
  const lines = createInterface({ input: child.stdout! });
  const first = (async () => {
    for await (const line of lines) {
      const parsed = JSON.parse(line) as { url?: string };
      if (parsed.url) return parsed.url;
    }
    throw new Error('the test server printed no url');
  })();
  return Promise.race([first, exited]);
}
