/**
 * One engine run in a plain Node process of its own, on the BUILT engine (dist/, as `npm run bench` builds
 * it first), so its CPU and peak RSS are the engine's as users run it: no TypeScript loader, no other
 * benchmark in the same heap. Spawned by bench/child.ts (`runInChild`); plain JavaScript for that reason.
 *
 *   node bench/engine-child.mjs '{"serverUrl": ..., "outDir": ..., "name": ..., "size": ...}'
 *
 * Prints one JSON line (ChildFigures in bench/child.ts).
 */
import { parseConfigText } from '../dist/core/config.js';
import { openRun as createRun } from '../dist/index.js';

const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
const cpuMs = (u) => (u.user + u.system) / 1000;

/** A small config: a few categories, no topic expansion (`depth: 0`), a budget no run reaches. */
function benchConfig(o) {
  const yaml = [
    `name: ${o.name}`,
    'task: customer support',
    'domain: e-commerce returns and refunds',
    `size: ${o.size}`,
    'topics:',
    '  categories: [{name: returns, weight: 1}, {name: refunds, weight: 1}, {name: shipping, weight: 1}, {name: exchanges, weight: 1}]',
    '  depth: 0',
    'budget_usd: 1000000',
    `output_dir: ${JSON.stringify(o.outDir)}`,
    'provider:',
    '  name: openai',
    '  model: gpt-4.1-mini',
    `  concurrency: ${o.concurrency ?? 8}`,
    `  rpm: ${o.rpm ?? 'null'}`,
    '',
  ].join('\n');
  return parseConfigText(yaml, `bench ${o.name}`);
}

const o = JSON.parse(process.argv[2] ?? '{}');
const loadedRssMb = maxRssMb();
const run = createRun({ config: benchConfig(o), env: { OPENAI_API_KEY: 'bench', OPENAI_BASE_URL: `${o.serverUrl}/v1` } });
let requests = 0;
let first = null;
let last = null;
run.events.on((event) => {
  if (event.type === 'request_start') {
    requests++;
    first ??= { at: performance.now(), cpu: process.cpuUsage() };
  } else if (event.type === 'sample_accepted' || event.type === 'sample_rejected') {
    // CPU and RSS are read once, at the target (a getrusage per answer would be a cost of its own).
    const final = event.type === 'sample_accepted' && event.done === event.target;
    last = { at: performance.now(), cpu: final ? process.cpuUsage() : null, rss: final ? maxRssMb() : null };
  }
});
const stopTimer = o.stopAfterMs !== undefined ? setTimeout(() => run.stop(), o.stopAfterMs) : null;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await run.start();
const wallMs = performance.now() - t0;
if (stopTimer) clearTimeout(stopTimer);
const figures = {
  status: result.status,
  exitCode: result.exitCode,
  done: result.done,
  target: result.target,
  requests,
  wallMs,
  firstRequestMs: first ? first.at - t0 : null,
  lastAnswerMs: last ? last.at - t0 : null,
  cpuMs: cpuMs(process.cpuUsage(cpu0)),
  generationCpuMs: first && last?.cpu ? cpuMs(last.cpu) - cpuMs(first.cpu) : null,
  generationRssMb: last?.rss ?? null,
  maxRssMb: maxRssMb(),
  loadedRssMb,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
