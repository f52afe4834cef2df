/**
 * kill -9 of a batch-mode run (issue 13), three times during a submission and three times while its
 * batches are being polled, each followed by a resume: no custom_id is in two batches, the session ends
 * with exactly the target and no slot twice. Real processes (dist/cli.js) against the loopback server.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawLines, runCli, runToEnd, tempRoot, until } from '../sessions/helpers.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { env, journalIds, sampleSlots, writeBatchConfig } from './mode.helpers.js';

let server: TestServer;
const tmp = tempRoot('batch-kill');
beforeAll(async () => {
  server = await startTestServer({ seed: 31 });
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

function lastRecordType(dir: string): string | undefined {
  const path = join(dir, 'batches.jsonl');
  if (!existsSync(path)) return undefined;
  const lines = rawLines(path);
  try {
    return (JSON.parse(lines[lines.length - 1] ?? '{}') as { type?: string }).type;
  } catch {
    return 'torn';
  }
}

describe.each(['openai', 'anthropic'] as const)('%s batch mode', (provider) => {
  test('kill -9 three times in a submission and three times while polling, then resume', async () => {
    const name = `killed-${provider}`;
    const dir = join(tmp.dir, name);
    const { path } = writeBatchConfig({ name, outputDir: tmp.dir, provider, size: 150, maxLines: 6 });
    const e = env(server);
    let first = true;
    const start = () => {
      const run = runCli(first ? ['run', path, '--yes', '--json'] : ['resume', dir, '--yes', '--json'], e);
      first = false;
      return run;
    };
    // Submissions: each batch call answers after 250 ms, so a kill lands between `submitting` and `submitted`.
    server.setKnobs({ batchMaxLines: null, batchProcessingMs: 400, latencyMs: 250, batchLineErrorRate: 0.05, batchExpire: [] });
    for (let i = 0; i < 3; i++) {
      const before = journalIds(dir).chunks;
      const run = start();
      await until(() => lastRecordType(dir) === 'submitting' && journalIds(dir).chunks > before, 'a new submission in progress', 60_000);
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
    }
    // Polling: batches take 3 s; kill once one is in progress.
    server.setKnobs({ latencyMs: 0, batchProcessingMs: 3000 });
    for (let i = 0; i < 3; i++) {
      const run = start();
      // The second figure of this process: it has moved something (submitted, polled or collected) since its start.
      await run.waitForEvent((ev, all) => ev.type === 'batch' && all.filter((x) => x.type === 'batch').length >= 2 && (ev as { inProgress: number }).inProgress > 0 && lastRecordType(dir) !== 'submitting');
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
    }
    server.setKnobs({ batchProcessingMs: 50, batchLineErrorRate: 0 });
    const last = await runToEnd(['resume', dir, '--yes', '--plain'], e);
    expect(last.stderr.slice(-2000)).not.toMatch(/Error:/);
    expect(last.code).toBe(0);
    const slots = sampleSlots(dir);
    expect(slots.length).toBe(150);
    expect(new Set(slots).size).toBe(150);
    const { ids } = journalIds(dir);
    expect(new Set(ids).size).toBe(ids.length);
    // Every batch the provider holds is one journaled chunk: nothing was submitted twice.
    const batchesCreated = server.stats().byEndpoint[provider === 'openai' ? 'openai.batches.create' : 'anthropic.batches.create'] ?? 0;
    const journaledBatches = rawLines(join(dir, 'batches.jsonl')).filter((l) => l.includes('"type":"submitted"')).length;
    expect(batchesCreated).toBe(journaledBatches);
    // Each kill in a submission left a chunk unconfirmed: the resume found its batch again or abandoned it.
    const settled = rawLines(join(dir, 'batches.jsonl')).filter((l) => l.includes('"recovered":true') || l.includes('"type":"abandoned"')).length;
    expect(settled).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
