/**
 * What every end-to-end test file sets up: the built CLI (checked before the first test), one loopback test
 * server as the OpenAI endpoint, and the apps a test starts, all killed after it so none outlives its test.
 * Call endToEndSuite() once at the top of the file.
 */
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../server/index.js';
import { CLI, spawnCli, type PtyApp, type PtyOptions } from './pty.js';

export interface EndToEndSuite {
  /** The file's test server (started before its first test). */
  readonly server: TestServer;
  /** Points the openai provider at the test server, with a dummy key. */
  openaiEnv(): Record<string, string>;
  /** spawnCli, and the app is killed after the test. */
  spawn(args: string[], options?: PtyOptions): PtyApp;
}

export function endToEndSuite(): EndToEndSuite {
  let server: TestServer | undefined;
  let apps: PtyApp[] = [];
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    for (const app of apps) app.kill();
    apps = [];
  });
  const suite: EndToEndSuite = {
    get server(): TestServer {
      if (!server) throw new Error('the test server starts in beforeAll: use it inside a test');
      return server;
    },
    openaiEnv: () => ({ OPENAI_BASE_URL: suite.server.openaiBaseUrl, OPENAI_API_KEY: 'sk-test-dummy-key' }),
    spawn(args, options) {
      const app = spawnCli(args, options);
      apps.push(app);
      return app;
    },
  };
  return suite;
}
