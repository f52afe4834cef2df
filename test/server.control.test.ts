import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ServerStats, type TestServer } from './server/index.js';

const chat = (url: string, signal?: AbortSignal) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Return exactly 2 subtopics. Answer in JSON.' }], response_format: { type: 'json_object' } }),
    signal,
  });

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('rate window', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 429 with Retry-After once the window is full, and lets requests through when it slides', async () => {
    server.setKnobs({ rateLimit: { requests: 3, windowMs: 60_000 } });
    const responses = [];
    for (let i = 0; i < 5; i++) responses.push(await chat(server.url));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    const limited = responses[3]!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(limited.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect(server.stats().faults.rate_limit_window).toBe(2);

    server.setKnobs({ rateLimit: { requests: 1, windowMs: 200 } });
    await new Promise((r) => setTimeout(r, 250));
    expect((await chat(server.url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 250));
    expect((await chat(server.url)).status).toBe(200);
  });

  it('holds timed-out requests open, counts the concurrency, and lets go when the client gives up', async () => {
    server.setKnobs({ rateLimit: null, timeoutRate: 1 });
    server.resetStats();
    const abort = new AbortController();
    const pending = [1, 2, 3].map(() => chat(server.url, abort.signal).catch(() => 'aborted'));
    await until(() => server.stats().inFlight === 3, 'three held requests');
    expect(server.stats().maxConcurrent).toBe(3);
    abort.abort();
    expect(await Promise.all(pending)).toEqual(['aborted', 'aborted', 'aborted']);
    await until(() => server.stats().inFlight === 0, 'held requests to end');
    expect(server.stats().faults.timeout).toBe(3);
    expect(server.stats().timestamps).toHaveLength(3);
  });
});

describe('test/server/main.ts in another process', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  async function spawnServer(knobs: object): Promise<{ child: ChildProcess; url: string }> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/server/main.ts', '--knobs', JSON.stringify(knobs)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child = proc;
    const lines = createInterface({ input: proc.stdout! });
    const [line] = (await once(lines, 'line')) as [string];
    return { child: proc, url: (JSON.parse(line) as { url: string }).url };
  }

  it('is driven through the control endpoints and stops on SIGTERM', async () => {
    const { child: proc, url } = await spawnServer({ seed: 3 });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await chat(url)).status).toBe(200);

    const set = await fetch(`${url}/__control/knobs`, { method: 'POST', body: JSON.stringify({ auth: 'invalid', record: true }) });
    expect(set.status).toBe(200);
    expect((await chat(url)).status).toBe(401);

    const stats = (await (await fetch(`${url}/__control/stats`)).json()) as ServerStats;
    expect(stats.byStatus).toEqual({ '200': 1, '401': 1 });
    expect(stats.faults.auth).toBe(1);
    expect(stats.bodies).toHaveLength(1);
    expect(JSON.stringify(stats.bodies)).not.toContain('sk-test');

    const bad = await fetch(`${url}/__control/knobs`, { method: 'POST', body: JSON.stringify({ latncyMs: 5 }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('latncyMs');

    expect((await fetch(`${url}/__control/reset`, { method: 'POST' })).status).toBe(200);
    const cleared = (await (await fetch(`${url}/__control/stats`)).json()) as ServerStats;
    expect(cleared.requests).toBe(0);

    proc.kill('SIGTERM');
    const [code] = (await once(proc, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('exits when its stdin closes, so it never outlives the process that started it', async () => {
    const { child: proc } = await spawnServer({});
    proc.stdin!.end();
    const [code] = (await once(proc, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
