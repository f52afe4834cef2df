/**
 * kill -9 of a real process during submission (3 times) and during polling (3 times), then a run to the
 * end: every slot answered exactly once, no custom_id in two batches, every batch at the provider known to
 * the journal, and the tokens of the answers equal to what the server billed. The child (drive.ts) uses
 * the core pieces exactly as an executor would; 10% of lines error and the second batch expires.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/core/batch/journal.js';
import { mulberry32 } from '../../src/core/random.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { allResults, client, PROVIDERS } from './helpers.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const SLOTS = 40;
const CHUNK = 4;

function start(provider: string, server: TestServer, dir: string): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const baseUrl = provider === 'openai' ? server.openaiBaseUrl : server.anthropicBaseUrl;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/batch/drive.ts', provider, baseUrl, dir, String(SLOTS), String(CHUNK)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, stderr: () => err };
}

const records = (path: string, type: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.includes(`"type":"${type}"`)).length : 0);

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

describe.each(PROVIDERS)('%s: kill -9 during submission and polling, then resume', (provider) => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer({ seed: 21, latencyMs: 40, batchProcessingMs: 400, batchLineErrorRate: 0.1, batchExpire: [2] });
    dir = mkdtempSync(join(tmpdir(), `synthloom-batch-kill-${provider}-`));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('submits nothing twice and ends with every slot answered once', { timeout: 300_000 }, async () => {
    const journalPath = join(dir, 'batches.jsonl');
    const rng = mulberry32(provider === 'openai' ? 3 : 4);
    const kills = { submission: 0, polling: 0 };
    for (let i = 0; i < 6; i++) {
      const phase = i < 3 ? 'submission' : 'polling';
      const before = { submitting: records(journalPath, 'submitting'), polled: records(journalPath, 'polled') + records(journalPath, 'ended') };
      const run = start(provider, server, dir);
      const hit = await waitFor(
        () =>
          phase === 'submission'
            ? records(journalPath, 'submitting') > before.submitting
            : records(journalPath, 'polled') + records(journalPath, 'ended') > before.polled,
        60_000, // the machine may be loaded: wait for the step, however long it takes
      );
      await new Promise((r) => setTimeout(r, Math.floor(rng() * 60)));
      if (hit) kills[phase]++;
      else console.log(`${provider} run ${i}: no ${phase} step seen in 60 s; stderr: ${run.stderr().slice(-2000)}`);
      run.child.kill('SIGKILL');
      await run.exited;
      if (process.env.DRIVE_DEBUG) console.log(`run ${i} ${phase}:\n${run.stderr()}`);
    }
    const last = start(provider, server, dir);
    expect(await last.exited, last.stderr()).toBe(0);
    expect(kills).toEqual({ submission: 3, polling: 3 });

    // The run's answers: every slot once.
    const answers = readFileSync(join(dir, 'answers.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { slot: string; usage: { input_tokens: number; output_tokens: number } });
    const slots = answers.map((a) => a.slot);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.length).toBe(SLOTS);

    // The provider's side: every batch is in the journal, no custom_id in two batches, one answer per slot.
    const c = client(server, provider);
    const listed = await c.list({ session: 'drive' });
    const journal = readJournal(journalPath);
    expect(new Set(listed.map((b) => b.batchId))).toEqual(new Set(journal.byBatch.keys()));
    const customIds: string[] = [];
    const okPerSlot = new Map<string, number>();
    for (const b of listed) {
      for (const r of await allResults(c, b.batchId)) {
        customIds.push(r.customId);
        const slot = r.customId.split('__')[0]!;
        if (r.ok) okPerSlot.set(slot, (okPerSlot.get(slot) ?? 0) + 1);
      }
    }
    expect(new Set(customIds).size).toBe(customIds.length);
    expect(okPerSlot.size).toBe(SLOTS);
    expect([...okPerSlot.values()].every((n) => n === 1)).toBe(true);

    // Money: the answers' tokens are exactly what the server billed for the batch lines.
    const billed = server.stats().usageBy[`${provider}.batch`]!;
    const input = answers.reduce((n, a) => n + a.usage.input_tokens, 0);
    const output = answers.reduce((n, a) => n + a.usage.output_tokens, 0);
    expect({ answers: answers.length, input, output }).toEqual({ answers: billed.answers, input: billed.input, output: billed.output });

    const recovered = journal.chunks.filter((ch) => ch.recovered).length;
    const abandoned = journal.chunks.filter((ch) => ch.abandoned).length;
    console.log(
      `${provider}: ${journal.chunks.length} chunks, ${listed.length} batches, ${customIds.length} lines submitted for ${SLOTS} slots, ` +
        `${recovered} found again through list(), ${abandoned} abandoned, ${journal.droppedLines} torn journal lines`,
    );
  });
});
