/**
 * Pipeline efficiency: does the pool keep `concurrency` requests in flight all the time? Test server at
 * 300 ms +-50%, concurrency 8, 400 samples, no topic expansion. Target: ideal / actual >= 0.90 (a design
 * that waits for a whole batch before starting the next scores about 0.7 here).
 *
 *   ideal  = sample requests the server answered x mean latency / concurrency
 *   actual = first request started -> last answer handled (the generation phase, measured by the engine)
 */
import { runInChild } from './child.js';
import { fixed, type BenchOutcome } from './report.js';
import { startServerProcess } from './server.js';
import { tempDir } from './paths.js';

export interface PipelineOptions {
  samples?: number;
  concurrency?: number;
  latencyMs?: number;
  jitter?: number;
}

export async function benchPipeline(options: PipelineOptions = {}): Promise<BenchOutcome> {
  const samples = options.samples ?? 400;
  const concurrency = options.concurrency ?? 8;
  const latencyMs = options.latencyMs ?? 300;
  const jitter = options.jitter ?? 0.5;
  const server = await startServerProcess({ latencyMs, latencyJitter: jitter });
  const work = tempDir('pipeline');
  try {
    const run = await runInChild({ serverUrl: server.url, outDir: work.dir, name: 'bench-pipeline', size: samples, concurrency });
    const stats = await server.stats();
    const requests = stats.requests;
    const idealMs = (requests * latencyMs) / concurrency;
    const actualMs = (run.lastAnswerMs ?? NaN) - (run.firstRequestMs ?? NaN);
    const ratio = idealMs / actualMs;
    return {
      figures: [
        { bench: 'pipeline', figure: 'pipeline efficiency (ideal / actual)', target: '>= 0.90', result: fixed(ratio, 3), pass: ratio >= 0.9 },
      ],
      notes: [
        `pipeline: ${samples} samples, latency ${latencyMs} ms +-${jitter * 100}%, concurrency ${concurrency}; ` +
          `ideal = ${requests} server requests x ${latencyMs} ms / ${concurrency} = ${fixed(idealMs / 1000)} s; ` +
          `actual = first request to last answer = ${fixed(actualMs / 1000)} s; whole run ${fixed(run.wallMs / 1000)} s ` +
          `(${run.done}/${run.target} done, status ${run.status}, server peak concurrency ${stats.maxConcurrent})`,
      ],
    };
  } finally {
    await server.close();
    work.dispose();
  }
}
