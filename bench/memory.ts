/**
 * Memory: the engine must not hold the run in memory. A 2,000-sample and a 20,000-sample run against a
 * zero-latency server, each in a process of its own reporting its peak RSS
 * (process.resourceUsage().maxRSS). Targets: peak < 250 MB at 20,000, and < 30 MB more than at 2,000.
 * The run includes its export to dataset/; the peak before the export (at the last accepted sample) is
 * reported too, so the engine and the export can be told apart.
 */
import { runInChild, type ChildFigures } from './child.js';
import { fixed, type BenchOutcome } from './report.js';
import { startServerProcess } from './server.js';
import { tempDir } from './paths.js';

export interface MemoryOptions {
  small?: number;
  large?: number;
  concurrency?: number;
}

export async function benchMemory(options: MemoryOptions = {}): Promise<BenchOutcome> {
  const smallSize = options.small ?? 2000;
  const largeSize = options.large ?? 20000;
  const concurrency = options.concurrency ?? 8;
  const server = await startServerProcess({ latencyMs: 0 });
  const work = tempDir('memory');
  try {
    const runs: ChildFigures[] = [];
    for (const size of [smallSize, largeSize]) {
      runs.push(await runInChild({ serverUrl: server.url, outDir: work.dir, name: `bench-memory-${size}`, size, concurrency }));
    }
    const [small, large] = runs as [ChildFigures, ChildFigures];
    const growth = large.maxRssMb - small.maxRssMb;
    const beforeExport = (f: ChildFigures) => f.generationRssMb ?? NaN;
    const engineGrowth = beforeExport(large) - beforeExport(small);
    return {
      figures: [
        { bench: 'memory', figure: `memory: peak RSS at ${largeSize} samples`, target: '< 250 MB', result: `${fixed(large.maxRssMb, 0)} MB`, pass: large.maxRssMb < 250 },
        { bench: 'memory', figure: `memory: growth from ${smallSize} to ${largeSize}`, target: '< 30 MB', result: `${fixed(growth, 1)} MB`, pass: growth < 30 },
        { bench: 'memory', figure: `  same, before the export: peak at ${largeSize}`, target: '(reported)', result: `${fixed(beforeExport(large), 0)} MB`, pass: null },
        { bench: 'memory', figure: `  same, before the export: growth`, target: '(reported)', result: `${fixed(engineGrowth, 1)} MB`, pass: null },
      ],
      notes: [
        `memory: peak RSS ${fixed(small.maxRssMb, 1)} MB at ${smallSize} (${fixed(beforeExport(small), 1)} before the export; ${small.done} done, ${fixed(small.wallMs / 1000, 1)} s), ` +
          `${fixed(large.maxRssMb, 1)} MB at ${largeSize} (${fixed(beforeExport(large), 1)} before the export; ${large.done} done, ${fixed(large.wallMs / 1000, 1)} s); ` +
          `a process with the engine loaded and no run: ${fixed(small.loadedRssMb, 1)} MB`,
      ],
    };
  } finally {
    await server.close();
    work.dispose();
  }
}
