/**
 * What the provider test files share: one loopback test server for the file, every fault off (request bodies
 * recorded, counters reset) before each test, and `failure()`, which expects a ProviderError that never shows
 * the API key. Call providerSuite() once at the top of the file.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { ProviderError, type GenerateResult } from '../src/providers/types.js';
import { startTestServer, type Knobs, type TestServer } from './server/index.js';

/** The knobs each test starts from: no fault of any kind, no latency. */
export const NO_FAULTS: Partial<Knobs> = {
  serverErrorRate: 0, overloadedRate: 0, rateLimit: null, rateLimit429Rate: 0, timeoutRate: 0, dropRate: 0,
  truncatedRate: 0, malformedRate: 0, schemaInvalidRate: 0, refusalRate: 0, auth: 'valid', quota: false,
  rejectJsonSchema: false, latencyMs: 0, cachedInputTokens: 0,
};

export interface ProviderSuite {
  /** The file's test server (started before its first test). */
  readonly server: TestServer;
  /** The error `promise` rejects with: a ProviderError whose message and raw text do not contain the key. */
  failure(promise: Promise<GenerateResult>): Promise<ProviderError>;
}

export function providerSuite({ seed, apiKey }: { seed: number; apiKey: string }): ProviderSuite {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer({ seed });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    suite.server.setKnobs({ ...NO_FAULTS, record: true });
    suite.server.resetStats();
  });
  const suite: ProviderSuite = {
    get server(): TestServer {
      if (!server) throw new Error('the test server starts in beforeAll: use it inside a test');
      return server;
    },
    async failure(promise) {
      const err = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProviderError);
      const e = err as ProviderError;
      expect(e.message).not.toContain(apiKey);
      expect(e.raw ?? '').not.toContain(apiKey);
      return e;
    },
  };
  return suite;
}
