/**
 * Issue 15 (5, 11): dataset/ changes as a whole. Real child processes are killed (SIGKILL, SIGTERM) at
 * random moments of an export of a large session: afterwards dataset/ is always one whole export (the old
 * or the new), never a mix, no row is in two splits, and the next export clears every leftover. A stale or
 * missing export is reported by `sessions` and rebuilt by `export`. Duplicate-slot and wrong-shape lines
 * are left out with a note, the count staying right.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, ROOT, sleep, tempRoot } from '../sessions/helpers.js';
import { buildLargeSession, exportOf, rowsBySplit, splitHashes } from './large-session.js';

const tmp = tempRoot('export-atomic');
const env = cliEnv('http://127.0.0.1:9/v1');
// Every file an export writes (the hub branch's trainer files and the quality report are built in the staging dir too).
const FINAL = new Set(['train.jsonl', 'validation.jsonl', 'test.jsonl', 'dataset_info.txt', 'dataset_info.json', 'axolotl.yaml', 'quality.json', 'README.md', '.export.json']);

/** Resolves once the export process `pid` is writing train.jsonl (its temporary file exists), or has ended. */
async function writing(dir: string, pid: number, exited: Promise<void>): Promise<void> {
  let over = false;
  void exited.then(() => (over = true));
  const name = `train.jsonl.tmp-${pid}`;
  const places = [join(dir, 'dataset'), join(dir, `dataset.tmp-${pid}`)];
  while (!over && !places.some((p) => existsSync(join(p, name)))) await sleep(2);
}

describe('export atomicity under kill -9 and SIGTERM', () => {
  it('always leaves one whole export, and the next export clears the leftovers', async () => {
    const dir = buildLargeSession(join(tmp.dir, 'big'), 'big', 4000);
    // The two exports a killed one may leave: seed 2 (what was there) and seed 3 (what was being built).
    const other = join(tmp.dir, 'big-copy');
    cpSync(dir, other, { recursive: true });
    const seed3 = await exportOf(other, 3, env);
    const started = Date.now();
    const seed2 = await exportOf(dir, 2, env);
    const exportMs = Date.now() - started;
    expect(seed2).not.toBe(seed3);

    const outcomes = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, [CLI, 'export', dir, '--seed', '3'], { cwd: ROOT, env, stdio: 'ignore' });
      const exited = new Promise<void>((done) => child.on('close', () => done()));
      const fraction = (round * 0.37 + 0.11) % 1;
      if (round % 2 === 0) {
        // Aim at the write phase: from the moment the first split file is being written.
        await writing(dir, child.pid!, exited);
        await sleep(fraction * 200);
      } else {
        await sleep(50 + fraction * exportMs);
      }
      child.kill(round % 3 === 0 ? 'SIGTERM' : 'SIGKILL');
      await exited;
      // dataset/ holds only finished files of one export: no temporary file, nothing half-written.
      if (existsSync(join(dir, 'dataset'))) {
        expect(readdirSync(join(dir, 'dataset')).filter((n) => !FINAL.has(n)), `round ${round}`).toEqual([]);
      }

      const now = existsSync(join(dir, 'dataset')) ? splitHashes(dir) : 'absent';
      expect([seed2, seed3, 'absent'], `round ${round}`).toContain(now);
      outcomes.add(now === seed2 ? 'old' : now === seed3 ? 'new' : now);
      if (now !== 'absent') {
        const [train, validation, test] = rowsBySplit(dir).map((rows) => new Set(rows));
        expect(train!.size + validation!.size + test!.size).toBe(4000);
        for (const row of validation!) expect(train!.has(row)).toBe(false);
        for (const row of test!) expect(train!.has(row) || validation!.has(row)).toBe(false);
      }
      // Back to the old export for the next round.
      expect(await exportOf(dir, 2, env)).toBe(seed2);
      expect(readdirSync(dir).filter((n) => /^dataset\./.test(n))).toEqual([]);
    }
    expect(outcomes.size).toBeGreaterThan(0);
  }, 300_000);
});

process.on('exit', () => rmSync(tmp.dir, { recursive: true, force: true }));
