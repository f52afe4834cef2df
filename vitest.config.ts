import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two shared cores: a few workers, and the pty end-to-end tests run one file at a time inside their files.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['test/e2e/**'] } },
      // A real pseudo-terminal on a loaded machine sometimes drops a key typed the instant a screen appears
      // (docs/ui-notes.md): a failing e2e test is run again, at most twice, before it counts as failed.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], retry: 2 } },
    ],
  },
});
