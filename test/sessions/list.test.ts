/**
 * Issue 3 acceptance: `synthloom sessions DIR` lists finished, running (a live process holds the lock),
 * interrupted (killed) and budget-paused sessions with the right status and progress, as a table and
 * with --json.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { appendRemoval, listSessions, type SessionInfo } from '../../src/core/session/index.js';
import { jsonLines, rawLines, runCli, runToEnd, sessionSuite, until, writeConfig } from './helpers.js';

const suite = sessionSuite('list', { seed: 41 });

function row(table: string, name: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no row for ${name} in:\n${table}`);
  return line.split(/\s{2,}/);
}

test('finished, running, interrupted and budget-paused sessions are listed with their status and progress', async () => {
  const root = suite.dir;
  const env = suite.env();
  const finished = await runToEnd(['run', writeConfig({ name: 'finished', outputDir: root, size: 6 }), '--yes', '--plain'], env);
  expect(finished.code, finished.stderr).toBe(0);
  const budget = await runToEnd(['run', writeConfig({ name: 'budget', outputDir: root, size: 12, concurrency: 2, budgetUsd: 0.004 }), '--yes', '--plain'], env);
  expect(budget.code, budget.stderr).toBe(3);
  expect(budget.stdout.split('\n')).toContain(`resume: synthloom resume ${join(root, 'budget')} --yes --budget USD`);

  // Killed a moment after its first samples (session.yaml is saved every few seconds, so its count lags).
  suite.server.setKnobs({ latencyMs: 20 });
  const killed = runCli(['run', writeConfig({ name: 'killed', outputDir: root, size: 40, concurrency: 2 }), '--yes', '--plain'], env);
  suite.killAtEnd(killed);
  await until(() => rawLines(join(root, 'killed', 'samples.jsonl')).length >= 3, 'samples of the run to be killed');
  suite.server.setKnobs({ timeoutRate: 1 }); // from now on every request hangs
  killed.child.kill('SIGKILL');
  await killed.exited;
  const killedDone = rawLines(join(root, 'killed', 'samples.jsonl')).length;

  const running = runCli(['run', writeConfig({ name: 'running', outputDir: root, size: 8, concurrency: 2 }), '--yes', '--plain'], env);
  suite.killAtEnd(running);
  await until(() => listSessions(root).some((s) => s.name === 'running' && s.status === 'running'), 'the live run to be running');

  const table = await runToEnd(['sessions', root], env);
  expect(table.code, table.stderr).toBe(0);
  expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+DONE\s+UNFILLED\s+GAVE UP\s+SPENT\s+CHANGED\s+DIR/);
  expect(row(table.stdout, 'finished').slice(0, 3)).toEqual(['finished', 'done', '6/6']);
  expect(row(table.stdout, 'running').slice(0, 2)).toEqual(['running', 'running']);
  expect(row(table.stdout, 'killed').slice(0, 3)).toEqual(['killed', 'interrupted', `${killedDone}/40`]);
  const budgetRow = row(table.stdout, 'budget');
  expect(budgetRow[1]).toBe('budget_paused');
  expect(budgetRow[2]).toMatch(/^([1-9]|1[01])\/12$/);

  const json = await runToEnd(['sessions', root, '--json'], env);
  expect(json.code, json.stderr).toBe(0);
  const byName = new Map((JSON.parse(json.stdout) as SessionInfo[]).map((s) => [s.name, s]));
  expect([...byName.keys()].sort()).toEqual(['budget', 'finished', 'killed', 'running']);
  expect(byName.get('finished')).toMatchObject({ status: 'done', done: 6, target: 6, failedSlots: 0, dir: join(root, 'finished'), model: 'gpt-4.1-mini' });
  expect(byName.get('finished')!.costUsd).toBeGreaterThan(0);
  expect(byName.get('running')).toMatchObject({ status: 'running', target: 8 });
  expect(byName.get('killed')).toMatchObject({ status: 'interrupted', done: killedDone, target: 40 });
  expect(byName.get('budget')).toMatchObject({ status: 'budget_paused', target: 12 });
  expect(byName.get('budget')!.reason).toMatch(/budget/);
  expect(Number.isNaN(Date.parse(byName.get('finished')!.updatedAt))).toBe(false);

  // Once its process is gone, the running session is interrupted too.
  running.child.kill('SIGKILL');
  await running.exited;
  suite.server.setKnobs({ timeoutRate: 0, latencyMs: 0 });
  const after = await runToEnd(['sessions', root, '--json'], env);
  expect((JSON.parse(after.stdout) as SessionInfo[]).find((s) => s.name === 'running')).toMatchObject({ status: 'interrupted', done: 0 });

  const empty = await runToEnd(['sessions', join(root, 'nothing-here')], env);
  expect(empty.code).toBe(0);
  expect(empty.stdout).toMatch(/no sessions under/);
});

test('a sample deleted after the run ended (the sample browser) is not counted as done by the listing', async () => {
  const root = join(suite.dir, 'removal');
  mkdirSync(root, { recursive: true });
  const env = suite.env();
  const run = await runToEnd(['run', writeConfig({ name: 'pruned', outputDir: root, size: 5 }), '--yes', '--plain'], env);
  expect(run.code, run.stderr).toBe(0);
  const dir = join(root, 'pruned');
  expect(listSessions(root).find((s) => s.name === 'pruned')).toMatchObject({ status: 'done', done: 5, unfilled: 0 });
  const first = jsonLines<{ id: string; slot: string }>(join(dir, 'samples.jsonl'))[0]!;
  appendRemoval(dir, { id: first.id, slot: first.slot, at: new Date().toISOString(), reason: 'deleted in the sample browser' });
  expect(listSessions(root).find((s) => s.name === 'pruned')).toMatchObject({ status: 'done', done: 4, target: 5, unfilled: 1 });
  const json = await runToEnd(['sessions', root, '--json'], env);
  expect((JSON.parse(json.stdout) as SessionInfo[]).find((s) => s.name === 'pruned')).toMatchObject({ done: 4, unfilled: 1 });
});
