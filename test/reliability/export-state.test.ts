/**
 * Issue 15 (5, 11): dataset/ changes as a whole. Real child processes are killed (SIGKILL, SIGTERM) at
 * random moments of an export of a large session: afterwards dataset/ is always one whole export (the old
 * or the new), never a mix, no row is in two splits, and the next export clears every leftover. A stale or
 * missing export is reported by `sessions` and rebuilt by `export`. Duplicate-slot and wrong-shape lines
 * are left out with a note, the count staying right.
 */
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetState } from '../../src/core/export/manifest.js';
import { cliEnv, runToEnd, tempRoot } from '../sessions/helpers.js';
import { buildLargeSession, exportOf, rowsBySplit, sampleLine } from './large-session.js';

const tmp = tempRoot('export-state');
const env = cliEnv('http://127.0.0.1:9/v1');

describe('stale and missing exports', () => {
  it('sessions says so, export rebuilds it', async () => {
    const dir = buildLargeSession(join(tmp.dir, 'listing', 'one'), 'one', 40);
    expect(datasetState(dir)).toBe('missing');
    let listed = await runToEnd(['sessions', join(tmp.dir, 'listing')], env);
    expect(listed.stdout).toMatch(/one .*missing/);
    await exportOf(dir, 1, env);
    expect(datasetState(dir)).toBe('current');
    listed = await runToEnd(['sessions', join(tmp.dir, 'listing')], env);
    expect(listed.stdout).not.toMatch(/stale|missing/);
    appendFileSync(join(dir, 'samples.jsonl'), `${sampleLine(40)}\n`);
    expect(datasetState(dir)).toBe('stale');
    listed = await runToEnd(['sessions', join(tmp.dir, 'listing')], env);
    expect(listed.stdout).toMatch(/one .*stale/);
    const json = JSON.parse((await runToEnd(['sessions', join(tmp.dir, 'listing'), '--json'], env)).stdout) as Array<{ dataset: string }>;
    expect(json[0]?.dataset).toBe('stale');
    await exportOf(dir, 1, env);
    expect(datasetState(dir)).toBe('current');
  });
});

describe('damaged sample lines on export', () => {
  it('a duplicate-slot line and a wrong-shape line are left out with a note: 200 rows, not 201', async () => {
    const dir = buildLargeSession(join(tmp.dir, 'dupes'), 'dupes', 200);
    appendFileSync(join(dir, 'samples.jsonl'), `${sampleLine(500, 't0_r0')}\n${JSON.stringify({ id: 'x', slot: 'y', messages: 'nope' })}\n`);
    const result = await runToEnd(['export', dir], env);
    expect(result.code, result.stderr).toBe(0);
    expect(rowsBySplit(dir).flat()).toHaveLength(200);
    expect(result.stdout).toMatch(/slot that already has one/);
    expect(result.stdout).toMatch(/not valid samples/);
  });
});

process.on('exit', () => rmSync(tmp.dir, { recursive: true, force: true }));
