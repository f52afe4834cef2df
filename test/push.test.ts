/**
 * `synthloom push` as a user meets it: the built CLI in a child process, against the loopback fake Hub
 * (test/hub/fake-hub.ts) through HF_ENDPOINT, on a session the demo provider made and exported as sharegpt.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeHub, startFakeHub } from './hub/fake-hub.js';
import { progressReporter } from '../src/commands/push.js';

const CLI = resolve('dist/cli.js');
const TOKEN = 'hf_canaryPUSHtoken4b2e91d7';
const BAD_TOKEN = 'hf_refusedTOKENc0ffee11';
const WRITER = 'hf_writerNoCreate5e5e5e';
let hub: FakeHub;
let work: string;
let session: string;

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: work,
      env: { PATH: process.env.PATH, HOME: work, CI: 'true', SYNTHLOOM_DEMO_LATENCY_MS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const push = (args: string[], token: string | null = TOKEN) => cli(['push', session, ...args], { HF_ENDPOINT: hub.url, ...(token ? { HF_TOKEN: token } : {}) });

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? allFiles(join(dir, f)) : [join(dir, f)]));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'synthloom-push-'));
  const run = await cli(['run', resolve('presets/tool-agent.yaml'), '--provider', 'demo', '--size', '40', '--yes', '--plain', '--out', work]);
  expect(run.code, run.stderr).toBe(0);
  session = join(work, 'tool-agent');
  const exported = await cli(['export', session, '--format', 'sharegpt']);
  expect(exported.code, exported.stderr).toBe(0);
  writeFileSync(join(session, 'dataset', 'my-notes.md'), 'private notes, not part of the export\n');
  // train.jsonl (the largest file) goes through the LFS batch + upload; the others inline in the commit.
  hub = await startFakeHub({ tokens: [TOKEN, WRITER], cannotCreate: [WRITER], lfsThreshold: statSync(join(session, 'dataset', 'train.jsonl')).size });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  rmSync(work, { recursive: true, force: true });
});

const EXPORTED = ['README.md', 'train.jsonl', 'validation.jsonl', 'test.jsonl', 'dataset_info.txt', 'dataset_info.json', 'axolotl.yaml', 'quality.json'];

describe('synthloom push', () => {
  test('creates the private repo and uploads every file of the export in one commit', async () => {
    const r = await push(['--repo', 'alice/travel-agent', '--private', '--message', 'first version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`pushed to ${hub.url}/datasets/alice/travel-agent (new repo): commit `);
    expect(r.stderr).toMatch(/push: comparing with the files on the Hub/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    const repo = hub.repos.get('alice/travel-agent')!;
    expect(repo.private).toBe(true);
    const commits = hub.commits('alice/travel-agent');
    expect(commits).toHaveLength(1);
    expect(commits[0]!.title).toBe('first version');
    expect([...commits[0]!.files].sort()).toEqual([...EXPORTED].sort());
    const files = repo.branches.get('main')!;
    expect(files.has('my-notes.md')).toBe(false); // only what the export writes
    expect(files.get('train.jsonl')!.lfs).toBe(true);
    for (const name of EXPORTED.filter((n) => n !== 'README.md')) {
      expect(files.get(name)!.content.equals(readFileSync(join(session, 'dataset', name))), name).toBe(true);
    }
    // The card on the Hub names the repo in its recipes, and its configs name files the repo has.
    const card = files.get('README.md')!.content.toString();
    expect(card).toContain('load_dataset("alice/travel-agent")');
    expect(card).not.toContain('OWNER/NAME');
    const meta = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(card)![1]!) as { configs: { data_files: { split: string; path: string }[] }[] };
    expect(meta.configs[0]!.data_files.map((f) => f.split)).toEqual(['train', 'validation', 'test']);
    for (const f of meta.configs[0]!.data_files) expect(files.has(f.path), f.path).toBe(true);
  });

  test('a second push of the same export makes no commit', async () => {
    const before = hub.requests.length;
    const r = await push(['--repo', 'alice/travel-agent']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('alice/travel-agent is up to date: no commit (8 file(s) unchanged)');
    expect(hub.commits('alice/travel-agent')).toHaveLength(1);
    const calls = hub.requests.slice(before).map((q) => `${q.method} ${q.path.replace(/\/datasets\/[^/]+\/[^/]+/, '/datasets/R')}`);
    expect(calls).toEqual(['POST /api/repos/create', 'GET /api/datasets/R/tree/main']);
  });

  test('after a re-export, only the changed files are sent and a split the export no longer has is deleted', async () => {
    const exported = await cli(['export', session, '--format', 'sharegpt', '--splits', '0.9,0.1']);
    expect(exported.code, exported.stderr).toBe(0);
    const r = await push(['--repo', 'alice/travel-agent']);
    expect(r.code, r.stderr).toBe(0);
    const commits = hub.commits('alice/travel-agent');
    expect(commits).toHaveLength(2);
    expect(commits[1]!.deleted).toEqual(['test.jsonl']);
    expect(commits[1]!.files).not.toContain('quality.json'); // the export writes it from the samples alone: unchanged by format and splits
    expect(commits[1]!.files).toContain('README.md');
    expect(r.stdout).toContain('deleted: test.jsonl (no longer in the export)');
    expect(hub.repos.get('alice/travel-agent')!.branches.get('main')!.has('test.jsonl')).toBe(false);
  });

  test('--revision commits to a branch, created from main when it does not exist', async () => {
    const r = await push(['--repo', 'alice/travel-agent', '--revision', 'v2-draft']);
    expect(r.code, r.stderr).toBe(0);
    // The branch starts as a copy of main, which already has this export: nothing to commit.
    expect(r.stdout).toContain('up to date');
    expect(hub.repos.get('alice/travel-agent')!.branches.has('v2-draft')).toBe(true);
    const other = await push(['--repo', 'bob/travel', '--revision', 'dev']);
    expect(other.code, other.stderr).toBe(0);
    expect(hub.commits('bob/travel').map((c) => c.branch)).toEqual(['dev']);
    expect(hub.repos.get('bob/travel')!.private).toBe(false);
  });

  test('a refused token exits 2 with one line, and the token is in no output and no file of the session', async () => {
    const r = await push(['--repo', 'alice/other', '--private'], BAD_TOKEN);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const errors = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('push: '));
    expect(errors).toEqual([expect.stringMatching(/^synthloom: the Hub at http:\/\/127\.0\.0\.1:\d+ refused HF_TOKEN \(401 while creating the repo\)/)]);
    expect(r.stdout + r.stderr).not.toContain(BAD_TOKEN);
    expect(hub.repos.has('alice/other')).toBe(false);
    for (const file of allFiles(session)) {
      const text = readFileSync(file, 'utf8');
      expect(text.includes(TOKEN) || text.includes(BAD_TOKEN), file).toBe(false);
    }
  });

  test('a token that may write but not create repos pushes to an existing repo; for a new one the 403 is one line, exit 2', async () => {
    const existing = await push(['--repo', 'alice/travel-agent'], WRITER);
    expect(existing.code, existing.stderr).toBe(0);
    expect(existing.stdout).toContain('up to date');
    const fresh = await push(['--repo', 'alice/brand-new'], WRITER);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toMatch(/^synthloom: HF_TOKEN may not write to alice\/brand-new \(403 while creating the repo\): You do not have the rights/m);
    expect(fresh.stderr).not.toContain(WRITER);
  });

  test('bad input: no HF_TOKEN, a malformed repo id, no export: one line, exit 2, no request', async () => {
    const before = hub.requests.length;
    const noToken = await push(['--repo', 'alice/x'], null);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^synthloom: HF_TOKEN is not set/);
    const badRepo = await push(['--repo', 'not a repo']);
    expect(badRepo.code).toBe(2);
    expect(badRepo.stderr).toMatch(/--repo: "not a repo" is not OWNER\/NAME/);
    const empty = mkdtempSync(join(work, 'empty-'));
    const noExport = await cli(['push', empty, '--repo', 'alice/x'], { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url });
    expect(noExport.code).toBe(2);
    expect(noExport.stderr).toMatch(/has no export to push .*run synthloom export/);
    expect(hub.requests.length).toBe(before);
    expect(existsSync(join(empty, 'dataset'))).toBe(false);
  });
});

describe('push progress', () => {
  test('a large file gets a line per quarter of its hashing and upload; small files none', () => {
    let text = '';
    const stream = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    const report = progressReporter(stream);
    report({ kind: 'phase', phase: 'uploading' });
    for (const progress of [0, 0.1, 0.3, 0.5, 0.74, 1]) report({ kind: 'file', path: 'train.jsonl', size: 50e6, state: 'uploading', progress });
    report({ kind: 'file', path: 'README.md', size: 5000, state: 'uploading', progress: 1 });
    expect(text.split('\n').filter(Boolean)).toEqual([
      'push: uploading…',
      '  uploading train.jsonl 0% of 50.0 MB',
      '  uploading train.jsonl 25% of 50.0 MB',
      '  uploading train.jsonl 50% of 50.0 MB',
      '  uploading train.jsonl 100% of 50.0 MB',
    ]);
  });
});
