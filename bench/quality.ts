/**
 * `synthloom quality` on 100,000 rows (issue 11: under 10 s on one core). Generates a JSONL file of chat
 * rows (1-2 turns, answers of 80-160 words, a few planted duplicates and PII rows), then times the report
 * in a fresh single-threaded process running the built dist/.
 *
 *   npm run build && node --import tsx bench/quality.ts [--rows 100000]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { conversation, row, seeded } from '../test/quality/fixture.js';
import { ROOT, tempDir } from './paths.js';
import { fixed, type BenchOutcome } from './report.js';

async function writeRows(path: string, rows: number): Promise<number> {
  const rand = seeded(2026);
  const out = createWriteStream(path);
  let bytes = 0;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    let line: string;
    if (i % 1000 === 999) line = lines[i - 500] as string; // an exact duplicate every 1,000 rows
    else {
      const c = conversation(rand, 80 + Math.floor(rand() * 80));
      if (i % 5000 === 17) c.assistant += ' Mail ops@example.com for help.';
      if (rand() < 0.3) c.assistant += ` ${conversation(rand).user} ${conversation(rand, 90).assistant}`;
      line = JSON.stringify(row(c, i % 4 === 1 ? 1 : 0));
    }
    lines.push(line);
    bytes += line.length + 1;
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return bytes;
}

export async function benchQuality(rows = 100_000): Promise<BenchOutcome> {
  const work = tempDir('quality');
  try {
    const file = join(work.dir, 'rows.jsonl');
    const bytes = await writeRows(file, rows);
    const child = spawnSync(process.execPath, [join(ROOT, 'bench', 'quality-child.mjs'), file], { cwd: ROOT, encoding: 'utf8' });
    const last = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !last.startsWith('{')) throw new Error(`quality child exited ${child.status}: ${child.stderr.slice(-2000)}`);
    const f = JSON.parse(last) as { rows: number; wallMs: number; cpuMs: number; peakMb: number; exact: number; near: number; pii: number; outliers: number };
    const seconds = f.wallMs / 1000;
    return {
      figures: [
        { bench: 'quality', figure: `quality: ${f.rows.toLocaleString('en-US')} rows`, target: '< 10 s', result: `${fixed(seconds, 2)} s`, pass: seconds < 10 },
        { bench: 'quality', figure: '  rows per second', target: '(reported)', result: `${Math.round(f.rows / seconds).toLocaleString('en-US')}`, pass: null },
      ],
      notes: [
        `quality: ${(bytes / 1e6).toFixed(1)} MB file; wall ${fixed(seconds, 2)} s, cpu ${fixed(f.cpuMs / 1000, 2)} s, peak RSS ${fixed(f.peakMb, 0)} MB; ` +
          `found ${f.exact} exact and ${f.near} near duplicates, ${f.pii} PII rows, ${f.outliers} length outliers`,
      ],
    };
  } finally {
    work.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rows: { type: 'string' } } });
  const outcome = await benchQuality(values.rows === undefined ? undefined : Number(values.rows));
  for (const f of outcome.figures) console.log(`${f.figure}: ${f.result} (target ${f.target})`);
  for (const n of outcome.notes) console.log(n);
}
