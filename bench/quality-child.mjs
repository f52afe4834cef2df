// One `quality` report in a fresh process (the built dist/): prints {rows, wallMs, cpuMs, ...} as the last line.
import { qualityReport } from '../dist/core/quality/report/index.js';

const file = process.argv[2];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const report = qualityReport(file);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    rows: report.rows,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakMb: process.resourceUsage().maxRSS / 1024,
    exact: report.duplicates.exact.length,
    near: report.duplicates.near.length,
    pii: report.pii.rows.length,
    outliers: report.length.outliers.length,
  }),
);
