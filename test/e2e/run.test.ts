/**
 * The run dashboard end to end: `synthloom run CONFIG --yes` in a real pseudo-terminal against the loopback
 * test server. Failures the server injects show in the failure panel with the server's own counts; retry
 * re-queues them; pause stops new requests; model text with escape sequences is shown, never interpreted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import type { Knobs } from '../server/index.js';
import { KEY, type PtyApp } from './pty.js';
import { endToEndSuite } from './suite.js';

const e2e = endToEndSuite();

/** A config whose categories need no topic expansion: every request the server sees is a sample request. */
function writeConfig(name: string, size: number, provider: Record<string, number>, budgetUsd = 100): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'synthloom-e2e-run-'));
  const config = join(dir, `${name}.yaml`);
  const providerLines = Object.entries(provider).map(([k, v]) => `  ${k}: ${v}`);
  writeFileSync(
    config,
    [
      `name: ${name}`,
      'task: customer support',
      'domain: e-commerce returns and refunds',
      `size: ${size}`,
      'topics: { categories: [{name: returns, weight: 1}, {name: refunds, weight: 1}], depth: 0 }',
      `budget_usd: ${budgetUsd}`,
      `output_dir: ${JSON.stringify(dir)}`,
      'provider:',
      '  name: openai',
      '  model: gpt-4.1-mini',
      ...providerLines,
      '',
    ].join('\n'),
  );
  return { dir, config };
}

function startRun(config: string, knobs: Partial<Knobs>, env: Record<string, string> = {}, size = { cols: 120, rows: 40 }): PtyApp {
  e2e.server.setKnobs({ seed: 7, latencyMs: 0, serverErrorRate: 0, truncatedRate: 0, inject: '', ...knobs });
  e2e.server.resetStats();
  return e2e.spawn(['run', config, '--yes'], { env: { ...e2e.openaiEnv(), ...env }, ...size });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds, polling; fails with `what` after the timeout. */
async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe('run dashboard in a terminal', () => {
  it('lists the injected failures by kind with the server\'s counts, and retry-all brings the run to its target', async () => {
    const { config } = writeConfig('failures', 60, { concurrency: 2, max_retries: 0 });
    const app = startRun(config, { latencyMs: 150, serverErrorRate: 0.25, truncatedRate: 0.25 });
    // With no retries every injected failure leaves its slot empty: pause once a few have given up.
    await until('a few failures of both kinds were injected', () => {
      const f = e2e.server.stats().faults;
      return (f.server_error ?? 0) >= 2 && (f.truncated ?? 0) >= 2;
    });
    app.press('p');
    await app.waitForText('PAUSED');
    await until('requests in flight finish', () => e2e.server.stats().inFlight === 0);
    e2e.server.setKnobs({ serverErrorRate: 0, truncatedRate: 0 });
    const faults = e2e.server.stats().faults;
    const injected = (faults.server_error ?? 0) + (faults.truncated ?? 0);

    app.press('f');
    const panel = await app.waitForText(new RegExp(`Failures by kind \\(${injected} slot\\(s\\) gave up\\)`));
    expect(panel).toMatch(new RegExp(`server\\s+${faults.server_error} \\(${faults.server_error} gave up\\)`));
    expect(panel).toMatch(new RegExp(`truncated\\s+${faults.truncated} \\(${faults.truncated} gave up\\) · the answer hit the output token limit`));
    expect(panel).toMatch(/HTTP 5\d\d · gave up/);

    const before = e2e.server.stats().requests;
    app.press('a');
    await app.waitForText('re-queued every slot that gave up');
    app.press(KEY.esc); // then wait: ESC and a key in one read is Alt+key
    await app.waitForText('p pause/resume');
    app.press('p');
    const done = await app.waitForText('Run done', 30_000);
    expect(done).toContain('60/60 samples');
    expect(done).toContain('unfilled: 0 of 60 slot(s)');
    expect(e2e.server.stats().requests - before).toBeGreaterThanOrEqual(injected);
    app.press('q');
    expect(await app.exited).toBe(0);
  });

  it('pause stops new requests (none reach the server for 2 s) and resume continues to the end', async () => {
    const { config } = writeConfig('pause', 40, { concurrency: 2 });
    const app = startRun(config, { latencyMs: 200 });
    await app.waitForText(/ ([3-9]|1\d)\/40 \d+%/);
    app.press('p');
    await app.waitForText('no new requests are sent');
    await until('requests in flight finish', () => e2e.server.stats().inFlight === 0);
    const paused = e2e.server.stats().requests;
    await sleep(2000);
    expect(e2e.server.stats().requests).toBe(paused);
    expect(paused).toBeLessThan(40);
    app.press('p');
    await app.waitForText('Run done', 30_000);
    expect(e2e.server.stats().requests).toBeGreaterThan(paused);
    app.press('q');
    expect(await app.exited).toBe(0);
  });

  it('at the budget cap the run waits; a higher cap typed in lets it finish', async () => {
    const { config } = writeConfig('budget', 12, { concurrency: 1 }, 0.002);
    const app = startRun(config, {});
    const paused = await app.waitForText(/Budget cap reached: \$[\d.]+ of \$0\.00/);
    expect(paused).toContain('PAUSED AT BUDGET CAP');
    await until('requests in flight finish', () => e2e.server.stats().inFlight === 0);
    const requests = e2e.server.stats().requests;
    app.type('1');
    await app.waitForText(/New cap \(USD\): 1\b/);
    app.press(KEY.enter);
    const done = await app.waitForText('Run done', 30_000);
    expect(done).toContain('12/12 samples');
    expect(e2e.server.stats().requests).toBeGreaterThan(requests);
    app.press('q');
    expect(await app.exited).toBe(0);
  });

  it('quit asks first, then stops gracefully: exit 130 and the session can be resumed', async () => {
    const { dir, config } = writeConfig('quit', 40, { concurrency: 2 });
    const app = startRun(config, { latencyMs: 200 });
    await app.waitForText(/ [2-9]\/40 \d+%/);
    app.press('q');
    await app.waitForText('Stop the run?');
    app.press('y');
    expect(await app.exited).toBe(130);
    const screen = app.screenText();
    expect(screen).toContain('Run interrupted');
    expect(screen).toContain(`synthloom resume ${join(dir, 'quit')}`);
    expect(readFileSync(join(dir, 'quit', 'session.yaml'), 'utf8')).toMatch(/status: interrupted/);
  });

  it('a model answer with a clear-screen and an OSC 52 clipboard write is shown as text, not run by the terminal', async () => {
    const { dir, config } = writeConfig('escapes', 6, { concurrency: 1 });
    const evil = 'BEFORE\u001b[2J\u001b]52;c;SGVsbG8=\u0007AFTER';
    const app = startRun(config, { inject: evil });
    await app.waitForText('Run done', 30_000);
    // The model's bytes really did reach the session file...
    expect(readFileSync(join(dir, 'escapes', 'samples.jsonl'), 'utf8')).toContain('\\u001b]52;c;SGVsbG8=');
    app.press('s');
    await app.waitForText('BEFOREAFTER');
    // ...but the terminal was never asked to clear the screen or write the clipboard.
    const term = new xterm.Terminal({ cols: 120, rows: 40, allowProposedApi: true });
    const seen: string[] = [];
    term.parser.registerOscHandler(52, (data) => (seen.push(`osc52 ${data}`), true));
    term.parser.registerCsiHandler({ final: 'J' }, (params) => (params[0] === 2 || params[0] === 3 ? (seen.push(`clear ${String(params[0])}`), true) : false));
    await new Promise<void>((r) => term.write(app.output(), r));
    expect(seen).toEqual([]);
    expect(app.output()).not.toContain('SGVsbG8=');
    app.press(KEY.esc);
    await app.waitForText('enter/q exit');
    app.press('q');
    expect(await app.exited).toBe(0);
  });

  it('NO_COLOR: the dashboard draws no colours', async () => {
    const { config } = writeConfig('nocolour', 4, { concurrency: 1 });
    const app = startRun(config, {}, { NO_COLOR: '1' });
    await app.waitForText('Run done', 30_000);
    // SGR foreground/background colours: 30-37, 39 aside, 40-47, 90-97, 100-107, 38;... 48;...
    const sgr = [...app.output().matchAll(/\u001b\[([0-9;]*)m/g)].flatMap((m) => (m[1] ?? '').split(';'));
    expect(sgr.filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p))).toEqual([]);
    app.press('q');
    expect(await app.exited).toBe(0);
  });
});
