/**
 * Engine overhead: a zero-latency server in another process, 5,000 samples (one request each) in an
 * engine process of its own. Target: >= 500 requests/s over the generation phase (first request to last
 * answer), with the engine process's CPU per request reported (process.cpuUsage, user + system).
 */
import { runInChild } from './child.js';
import { fixed, type BenchOutcome } from './report.js';
import { startServerProcess } from './server.js';
import { tempDir } from './paths.js';

export interface OverheadOptions {
  samples?: number;
  concurrency?: number;
}

export async function benchOverhead(options: OverheadOptions = {}): Promise<BenchOutcome> {
  const samples = options.samples ?? 5000;
  const concurrency = options.concurrency ?? 8;
  const server = await startServerProcess({ latencyMs: 0 });
  const work = tempDir('overhead');
  try {
    const run = await runInChild({ serverUrl: server.url, outDir: work.dir, name: 'bench-overhead', size: samples, concurrency });
    const stats = await server.stats();
    const generationS = ((run.lastAnswerMs ?? NaN) - (run.firstRequestMs ?? NaN)) / 1000;
    const perSecond = run.requests / generationS;
    const cpuPerRequest = (run.generationCpuMs ?? NaN) / run.requests;
    return {
      figures: [
        { bench: 'overhead', figure: 'engine overhead: requests/s', target: '>= 500', result: fixed(perSecond, 0), pass: perSecond >= 500 },
        { bench: 'overhead', figure: 'engine overhead: CPU ms per request', target: '(reported)', result: fixed(cpuPerRequest, 2), pass: null },
      ],
      notes: [
        `overhead: ${samples} samples, concurrency ${concurrency}, zero latency; ${run.requests} requests ` +
          `(server saw ${stats.requests}) in ${fixed(generationS)} s of generation, ${fixed(run.generationCpuMs ?? NaN)} CPU ms; ` +
          `whole run ${fixed(run.wallMs / 1000)} s with ${fixed(run.cpuMs)} CPU ms (${fixed(run.requests / (run.wallMs / 1000), 0)} requests/s) ` +
          `including session setup and export; ${run.done}/${run.target} done, status ${run.status}`,
      ],
    };
  } finally {
    await server.close();
    work.dispose();
  }
}
