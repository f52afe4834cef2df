/**
 * The export alone (not part of `npm run bench`): peak RSS over a warmed-up process, and time, to export a
 * session the engine generated against the zero-latency test server.
 *
 *   npm run build && node --import tsx bench/export.ts [--size 20000] [--format openai] [--session DIR]
 *
 * --session reuses a session directory instead of generating one (~15 s for 20,000 samples).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runInChild } from './child.js';
import { ROOT, tempDir, warnIfBuildIsStale } from './paths.js';
import { fixed } from './report.js';
import { startServerProcess } from './server.js';

const { values } = parseArgs({ options: { size: { type: 'string' }, format: { type: 'string' }, session: { type: 'string' } } });
const size = Number(values.size ?? 20000);
const format = values.format ?? 'openai';

warnIfBuildIsStale();
const work = tempDir('export');
try {
  let session = values.session;
  if (!session) {
    const server = await startServerProcess({ latencyMs: 0 });
    try {
      const name = `bench-export-${size}`;
      await runInChild({ serverUrl: server.url, outDir: work.dir, name, size });
      session = join(work.dir, name);
    } finally {
      await server.close();
    }
  }
  const child = spawnSync(process.execPath, ['--expose-gc', join(ROOT, 'bench', 'export-child.mjs'), session, format], { cwd: ROOT, encoding: 'utf8' });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) throw new Error(`export child exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const f = JSON.parse(last) as { rows: number; baselineMb: number; peakMb: number; wallMs: number; cpuMs: number };
  console.log(
    `export alone, ${f.rows} rows (${format}): peak RSS ${fixed(f.peakMb, 1)} MB, ${fixed(f.peakMb - f.baselineMb, 1)} MB over the warmed-up process (${fixed(f.baselineMb, 1)} MB); ` +
      `${fixed(f.wallMs / 1000, 2)} s, ${fixed(f.cpuMs / 1000, 2)} s CPU`,
  );
} finally {
  work.dispose();
}
