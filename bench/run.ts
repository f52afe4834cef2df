/**
 * `npm run bench`: every engine benchmark of issue 2, plus the resume (issue 3) and TUI (issue 6) benches
 * when present, then one table of figure, target and result. Benchmarks report; they never fail CI, so the
 * exit code is 0 unless the arguments are wrong.
 *
 *   npm run bench
 *   npm run bench -- --only pipeline            (pipeline | ratelimit | overhead | memory | resume | tui | split | quality | diversity | chunking)
 *   npm run bench -- --only ratelimit --rate-seconds 90
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { warnIfBuildIsStale } from './paths.js';
import { benchChunking } from './chunking.js';
import { benchMemory } from './memory.js';
import { benchResumeFigure, benchTuiFigure } from './others.js';
import { benchOverhead } from './overhead.js';
import { benchPipeline } from './pipeline.js';
import { benchDiversity } from './diversity.js';
import { benchQuality } from './quality.js';
import { benchRateLimit } from './ratelimit.js';
import { benchSplit } from './split.js';
import { formatTable, verdict, type BenchOutcome, type Figure } from './report.js';

const usage = 'usage: bench/run.ts [--only NAME[,NAME]] [--rate-seconds N]';

const { values } = (() => {
  try {
    return parseArgs({ options: { only: { type: 'string', multiple: true }, 'rate-seconds': { type: 'string' } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    process.exit(2);
  }
})();

const rateSeconds = values['rate-seconds'] === undefined ? 60 : Number(values['rate-seconds']);
if (!(rateSeconds > 0)) {
  console.error(`--rate-seconds must be a positive number of seconds\n${usage}`);
  process.exit(2);
}

const BENCHES: Record<string, () => Promise<BenchOutcome>> = {
  pipeline: () => benchPipeline(),
  ratelimit: () => benchRateLimit({ seconds: rateSeconds }),
  overhead: () => benchOverhead(),
  memory: () => benchMemory(),
  resume: () => benchResumeFigure(),
  tui: () => benchTuiFigure(),
  split: () => benchSplit(),
  quality: () => benchQuality(),
  diversity: () => benchDiversity(),
  chunking: () => benchChunking(),
};

const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
const unknown = only.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}: choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}

warnIfBuildIsStale();
const figures: Figure[] = [];
for (const name of only.length > 0 ? only : Object.keys(BENCHES)) {
  const started = performance.now();
  // The machine may be shared: the load when a benchmark starts says how far to trust its timings.
  console.log(`== ${name} (load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores) ...`);
  try {
    const outcome = await BENCHES[name]!();
    figures.push(...outcome.figures);
    for (const f of outcome.figures) console.log(`   ${f.figure}: ${f.result} (target ${f.target}) ${verdict(f.pass)}`);
    for (const note of outcome.notes) console.log(`   ${note}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    figures.push({ bench: name, figure: name, target: '', result: `error: ${message.split('\n')[0]}`, pass: false });
    console.log(`   error: ${message}`);
  }
  console.log(`   (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

console.log(`\n${formatTable(figures)}`);
process.exit(0);
