/**
 * The export alone, in a plain Node process of its own on the BUILT engine (dist/), as bench/export.ts runs
 * it: copies SESSION_DIR, warms the process up the way a run would have (the first burst of allocation in
 * a fresh process touches the young generation: ~16 MB of RSS a running engine has already paid), then
 * times exportSession and reads the peak RSS it reaches.
 *
 *   node --expose-gc bench/export-child.mjs SESSION_DIR [FORMAT]
 *
 * Prints one JSON line.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../dist/core/run.js';
import { exportSession } from '../dist/core/export/index.js';

const [source, format = 'openai'] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'synthloom-bench-export-'));
const dir = join(work, 'session');
cpSync(source, dir, { recursive: true });
rmSync(join(dir, 'dataset'), { recursive: true, force: true });

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
const result = exportSession(dir, { format });
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const peakMb = maxRssMb();
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ format, rows: result.files.reduce((n, f) => n + f.rows, 0), baselineMb, peakMb, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
);
