/**
 * One data tool on one file, in a plain Node process of its own on the BUILT code (dist/), as bench/split.ts
 * runs it: warms the process up (see export-child.mjs), then times the tool and reads the peak RSS.
 *
 *   node --expose-gc bench/split-child.mjs split|convert FILE OUT
 *
 * Prints one JSON line.
 */
import { splitFile } from '../dist/core/convert/split.js';
import { convertFile } from '../dist/core/convert/convert.js';

const [tool, file, out] = process.argv.slice(2);
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
let keep = [];
for (let i = 0; i < 3e6; i++) {
  keep.push({ i, s: `x${i}` });
  if (keep.length > 1000) keep = [];
}
keep = null;
globalThis.gc?.();
const baselineMb = maxRssMb();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result =
  tool === 'split'
    ? splitFile(file, { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1, out })
    : convertFile(file, { from: 'auto', to: 'sharegpt', out });
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const rows = tool === 'split' ? result.files.map((f) => f.rows) : [result.written];
const extra = tool === 'split' ? { targets: result.targets, groups: result.nearDuplicateGroups } : {};
process.stdout.write(`${JSON.stringify({ tool, rows, ...extra, baselineMb, peakMb: maxRssMb(), wallMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
