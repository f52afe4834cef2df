/**
 * Issue 15 (4, 6, 7, 11): overrides are range-checked, a bad saved value is reported not fatal to
 * listing, everything printed is sanitized, credentials in URLs never reach a file or the output, a lock
 * held by an unrelated live pid gets a hint, and a run whose final export failed does not exit 0.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runToEnd, sessionSuite, writeConfig } from '../sessions/helpers.js';

const suite = sessionSuite('guards', { record: true });

function expectOneLine(result: { code: number | null; stderr: string }, match: RegExp) {
  expect(result.stderr).not.toMatch(/internal error|    at /);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(match);
  expect(result.code).toBe(2);
}

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? allFiles(join(dir, f)) : [join(dir, f)]));
}

async function doneSession(name: string, size = 3): Promise<string> {
  const config = writeConfig({ name, outputDir: suite.dir, size });
  const run = await runToEnd(['run', config, '--yes', '--plain'], suite.env());
  expect(run.code, run.stderr).toBe(0);
  return join(suite.dir, name);
}

describe('overrides', () => {
  it('run refuses out-of-range overrides with one line and writes nothing', async () => {
    const config = writeConfig({ name: 'ranges', outputDir: suite.dir, size: 3 });
    for (const args of [['--concurrency', '0'], ['--concurrency', '5000'], ['--budget=-1'], ['--size', '0']]) {
      expectOneLine(await runToEnd(['run', config, '--yes', '--plain', ...args], suite.env()), /concurrency|budget|size/);
    }
    expect(existsSync(join(suite.dir, 'ranges'))).toBe(false);
  });

  it('resume refuses them before anything is saved', async () => {
    const dir = await doneSession('resume-ranges');
    const before = readFileSync(join(dir, 'session.yaml'), 'utf8');
    for (const args of [['--concurrency', '0'], ['--concurrency', '5000'], ['--budget=-1'], ['--budget=0']]) {
      expectOneLine(await runToEnd(['resume', dir, '--yes', '--plain', ...args], suite.env()), /out of range/);
    }
    expect(readFileSync(join(dir, 'session.yaml'), 'utf8')).toBe(before);
  });

  it('a bad value saved in session.yaml is reported by sessions (the others still listed), resume and export', async () => {
    const good = await doneSession('listed-good');
    const bad = await doneSession('saved-bad');
    const yaml = join(bad, 'session.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/concurrency: \d+/, 'concurrency: 5000'));
    const listed = await runToEnd(['sessions', suite.dir], suite.env());
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/listed-good/);
    expect(listed.stdout).toMatch(/saved-bad: cannot be opened: .*provider\.concurrency/);
    expect(good).toBeTruthy();
    expectOneLine(await runToEnd(['resume', bad, '--yes', '--plain'], suite.env()), /provider\.concurrency/);
    expectOneLine(await runToEnd(['export', bad], suite.env()), /provider\.concurrency/);
  });
});

describe('sanitized output', () => {
  const HOSTILE = '\u001b]52;c;SGVsbG8=\u0007\u001b[2J\u001b]0;pwned\u0007\u202eevil\u009b31m';

  it('sessions strips escapes from a session.yaml; --json escapes U+202E and C1', async () => {
    const dir = await doneSession('hostile-name');
    const yaml = join(dir, 'session.yaml');
    const text = readFileSync(yaml, 'utf8').replace(/^name: .*$/m, `name: ${JSON.stringify(`x${HOSTILE}`)}`).replace(/^status: .*$/m, `status: ${JSON.stringify(`done${HOSTILE}`)}`);
    writeFileSync(yaml, text);
    const listed = await runToEnd(['sessions', suite.dir], suite.env());
    expect(listed.stdout).toMatch(/hostile-name/);
    expect(listed.stdout).not.toMatch(/[\u001b\u0007\u202e\u0080-\u009f]/);
    const json = await runToEnd(['sessions', suite.dir, '--json'], suite.env());
    expect(json.stdout).not.toMatch(/[\u001b\u0007\u202e\u0080-\u009f]/);
    expect(json.stdout).toMatch(/\\u202e/);
    const parsed = JSON.parse(json.stdout) as Array<{ name?: string }>;
    expect(parsed.some((s) => s.name === `x${HOSTILE}`)).toBe(true);
  });

  it('validate messages and --json carry no raw controls', async () => {
    const file = join(suite.dir, 'hostile.jsonl');
    // An unknown key is quoted in its message: the key carries the escapes, U+202E and C1 controls.
    const row = { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], [`k${HOSTILE}`]: 1 };
    writeFileSync(file, `${JSON.stringify(row)}\n{"oops ${HOSTILE}\n`);
    for (const args of [['--format', 'openai'], ['--format', 'openai', '--json']]) {
      const result = await runToEnd(['validate', file, ...args], suite.env());
      expect(result.code).toBe(1);
      expect(result.stdout).not.toMatch(/[\u001b\u0007\u202e\u0080-\u009f]/);
    }
  });
});

describe('credentials in URLs', () => {
  const KEY = 'sk-urlsecret-7f3a9c';

  it('are stripped from plan --json and every session file, with a warning, and still used as the key', async () => {
    const config = writeConfig({ name: 'creds', outputDir: suite.dir, size: 3 });
    const base = suite.server.openaiBaseUrl.replace('http://', `http://user:${KEY}@`);
    const env = cliEnv(suite.server.openaiBaseUrl);
    delete env.OPENAI_API_KEY;
    delete env.OPENAI_BASE_URL;
    const plan = await runToEnd(['plan', config, '--json', '--base-url', base], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).not.toContain(KEY);
    expect(plan.stderr).toMatch(/warning: provider\.base_url held a credential.*OPENAI_API_KEY/);
    expect(plan.stderr).not.toContain(KEY);

    suite.server.resetStats();
    const query = `${suite.server.openaiBaseUrl}?api_key=${KEY}`;
    for (const url of [base, query]) {
      const dir = join(suite.dir, 'creds');
      const run = await runToEnd(['run', config, '--yes', '--json', '--base-url', url, ...(existsSync(dir) ? ['--out', join(suite.dir, `q`)] : [])], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(KEY);
    }
    for (const file of [...allFiles(join(suite.dir, 'creds')), ...allFiles(join(suite.dir, 'q'))]) {
      expect(readFileSync(file, 'utf8'), file).not.toContain(KEY);
    }
    expect(suite.server.stats().bodies.length).toBeGreaterThan(0);
  });
});

describe('locks and the final export', () => {
  it('a lock held by a live process that is not synthloom gets a hint', async () => {
    const dir = await doneSession('locked');
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'session.lock'), JSON.stringify({ pid: sleeper.pid, host: hostname(), started_at: new Date().toISOString() }));
      const result = await runToEnd(['resume', dir, '--yes', '--plain'], suite.env());
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/in use by another synthloom process/);
      expect(result.stderr).toMatch(/hint: pid \d+ is "sleep 30", not synthloom.*delete .*session\.lock/);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('a run whose final export fails does not exit 0', async () => {
    // A session directory so deep that its files fit PATH_MAX but the export's staging files do not.
    let deep = join(suite.dir, 'deep');
    // session files: DIR/session.yaml.tmp-PID (<= 4085 bytes); the export's DIR/dataset.tmp-PID/dataset_info.txt.tmp-PID: > 4100.
    while (deep.length < 4054) {
      const left = 4054 - deep.length;
      deep = join(deep, 'd'.repeat(left > 202 ? 150 : left - 1));
    }
    expect(join(deep, 'deepx')).toHaveLength(4060);
    mkdirSync(deep, { recursive: true });
    const config = join(suite.dir, 'deep.yaml');
    writeFileSync(config, `name: deepx\ntask: customer support\ndomain: returns\nsize: 2\noutput_dir: ${deep}\ntopics: { depth: 0 }\n`);
    try {
      const run = await runToEnd(['run', config, '--yes', '--plain'], suite.env());
      expect(run.stderr).toMatch(/export did not complete/);
      expect(run.code).not.toBe(0);
    } finally {
      // rm(1) walks a tree deeper than PATH_MAX; the suite's own cleanup (fs.rmSync) does not.
      execFileSync('rm', ['-rf', join(suite.dir, 'deep')]);
    }
  });
});
