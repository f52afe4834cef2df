/**
 * Rate limits: the server allows 20 requests in any 10-second window (2/s), the config says `rpm: 120`.
 * The run is stopped after `seconds`; targets: the server answered >= 0.90 of its allowance over that
 * time with 200, and <= 2% of all requests got a 429.
 *
 *   achieved = (requests answered 200 - 1) / (last arrival - first arrival at the server) / 2 per second
 * (the span is the server's: requests the engine had already queued when it was stopped still go out).
 */
import { runInChild } from './child.js';
import { fixed, type BenchOutcome } from './report.js';
import { startServerProcess } from './server.js';
import { tempDir } from './paths.js';

export interface RateLimitOptions {
  /** How long the run goes on before it is stopped. Default 60 s. */
  seconds?: number;
  latencyMs?: number;
}

const WINDOW = { requests: 20, windowMs: 10_000 };

export async function benchRateLimit(options: RateLimitOptions = {}): Promise<BenchOutcome> {
  const seconds = options.seconds ?? 60;
  const latencyMs = options.latencyMs ?? 200;
  const perSecond = (WINDOW.requests / WINDOW.windowMs) * 1000;
  const server = await startServerProcess({ rateLimit: WINDOW, latencyMs, latencyJitter: 0.5 });
  const work = tempDir('ratelimit');
  try {
    const size = Math.max(1000, Math.ceil(seconds * perSecond * 2));
    const run = await runInChild({ serverUrl: server.url, outDir: work.dir, name: 'bench-ratelimit', size, rpm: 120, stopAfterMs: seconds * 1000 });
    const stats = await server.stats();
    const ok = stats.byStatus['200'] ?? 0;
    const limited = stats.byStatus['429'] ?? 0;
    const arrivals = stats.timestamps;
    const spanS = arrivals.length > 1 ? (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000 : NaN;
    const achieved = (ok - 1) / spanS / perSecond;
    const share429 = stats.requests > 0 ? limited / stats.requests : 0;
    return {
      figures: [
        { bench: 'ratelimit', figure: 'rate limit: share of allowance used', target: '>= 0.90', result: fixed(achieved, 3), pass: achieved >= 0.9 },
        { bench: 'ratelimit', figure: 'rate limit: requests answered 429', target: '<= 2%', result: `${fixed(share429 * 100, 1)}%`, pass: share429 <= 0.02 },
      ],
      notes: [
        `ratelimit: server window ${WINDOW.requests} requests / ${WINDOW.windowMs / 1000} s, rpm 120, latency ${latencyMs} ms +-50%, ` +
          `stopped after ${seconds} s; ${ok} answered 200 over ${fixed(spanS, 1)} s from first to last arrival ` +
          `(${fixed((ok - 1) / spanS, 3)}/s); the run ended ${fixed(run.wallMs / 1000 - seconds, 1)} s after stop() (queued requests still sent); ` +
          `${limited} of ${stats.requests} requests answered 429; run status ${run.status}`,
      ],
    };
  } finally {
    await server.close();
    work.dispose();
  }
}
