/**
 * Issue 17: `split` (and `convert`) on a file the user brings. Writes openai rows (a user turn of ~15 words,
 * an answer of ~60 or ~240, 2% near-duplicate copies), then runs each tool in a warmed-up child process on
 * the built code and reads its time and peak RSS over the warmed-up process.
 *
 * Targets: split of 100,000 rows in < 10 s. Memory: convert holds one row at a time, so its peak must not
 * grow with the file; split keeps a small index per row (line offset, category, shingle hashes, MinHash
 * signature), never the rows, so rows 4x longer must not move its peak much.
 *
 *   npm run build && node --import tsx bench/split.ts [--rows 100000]     (also: npm run bench -- --only split)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, tempDir, warnIfBuildIsStale } from './paths.js';
import { type BenchOutcome, fixed } from './report.js';

const WORDS = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}`);

function writeRows(path: string, rows: number, answerWords: number): number {
  let s = 12345;
  const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
  const fd = openSync(path, 'w');
  let batch: string[] = [];
  let last: { user: string; answer: string } = { user: '', answer: '' };
  for (let i = 0; i < rows; i++) {
    let row = { user: words(15), answer: words(answerWords) };
    if (i > 0 && random() < 0.02) row = { user: last.user, answer: last.answer.replace(/^\S+/, 'changed') };
    last = row;
    batch.push(JSON.stringify({ messages: [{ role: 'user', content: row.user }, { role: 'assistant', content: row.answer }] }));
    if (batch.length === 1000) {
      writeSync(fd, `${batch.join('\n')}\n`);
      batch = [];
    }
  }
  if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
  closeSync(fd);
  return statSync(path).size;
}

interface ChildFigures {
  rows: number[];
  targets?: number[];
  groups?: number;
  baselineMb: number;
  peakMb: number;
  wallMs: number;
  cpuMs: number;
}

function runChild(tool: 'split' | 'convert', file: string, out: string): ChildFigures {
  const child = spawnSync(process.execPath, ['--expose-gc', join(ROOT, 'bench', 'split-child.mjs'), tool, file, out], { cwd: ROOT, encoding: 'utf8' });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) throw new Error(`${tool} child exited ${child.status}: ${child.stderr.slice(-2000)}`);
  return JSON.parse(last) as ChildFigures;
}

export async function benchSplit(rows = 100_000): Promise<BenchOutcome> {
  const work = tempDir('split');
  try {
    const notes: string[] = [];
    const runs: Record<string, ChildFigures> = {};
    for (const [label, n, answer] of [['quarter', Math.round(rows / 4), 60], ['full', rows, 60], ['long', rows, 240]] as const) {
      const file = join(work.dir, `${label}.jsonl`);
      const bytes = writeRows(file, n, answer);
      runs[`split-${label}`] = runChild('split', file, join(work.dir, `${label}-split`));
      runs[`convert-${label}`] = runChild('convert', file, join(work.dir, `${label}-sharegpt.jsonl`));
      notes.push(`${label}: ${n} rows, ${fixed(bytes / 1e6, 1)} MB; split ${JSON.stringify(runs[`split-${label}`])}; convert ${JSON.stringify(runs[`convert-${label}`])}`);
    }
    const over = (r: ChildFigures) => r.peakMb - r.baselineMb;
    const split = runs['split-full'] as ChildFigures;
    const exact = split.targets !== undefined && split.rows.every((n, i) => n === split.targets![i]);
    return {
      figures: [
        { bench: 'split', figure: `split: ${rows.toLocaleString('en-US')} rows, time`, target: '< 10 s', result: `${fixed(split.wallMs / 1000, 2)} s`, pass: split.wallMs < 10_000 },
        {
          bench: 'split',
          figure: '  split CPU time (user + system)',
          target: '(reported)',
          result: `${fixed(split.cpuMs / 1000, 2)} s (load average ${fixed(loadavg()[0] ?? 0, 1)} on ${cpus().length} cores during the run)`,
          pass: null,
        },
        { bench: 'split', figure: '  split sizes exact to the row', target: 'exact', result: `${split.rows.join('/')}${exact ? '' : ` (targets ${split.targets?.join('/')})`}`, pass: exact },
        { bench: 'split', figure: '  split peak RSS over warmed-up process', target: '(reported)', result: `${fixed(over(split), 1)} MB (${fixed(over(runs['split-quarter']!), 1)} MB at a quarter)`, pass: null },
        {
          bench: 'split',
          figure: '  split peak RSS, rows 4x longer',
          target: '< 1.25x',
          result: `${fixed(over(runs['split-long']!), 1)} MB (${fixed(over(runs['split-long']!) / over(split), 2)}x)`,
          pass: over(runs['split-long']!) < 1.25 * over(split),
        },
        {
          bench: 'split',
          figure: `convert: peak RSS, ${Math.round(rows / 4).toLocaleString('en-US')} vs ${rows.toLocaleString('en-US')} rows`,
          target: 'flat (< +10 MB)',
          result: `${fixed(over(runs['convert-quarter']!), 1)} vs ${fixed(over(runs['convert-full']!), 1)} MB; ${fixed(runs['convert-full']!.wallMs / 1000, 2)} s`,
          pass: over(runs['convert-full']!) - over(runs['convert-quarter']!) < 10,
        },
      ],
      notes,
    };
  } finally {
    work.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rows: { type: 'string' } } });
  warnIfBuildIsStale();
  const outcome = await benchSplit(values.rows ? Number(values.rows) : undefined);
  for (const f of outcome.figures) console.log(`${f.figure}: ${f.result} (target ${f.target})${f.pass === null ? '' : f.pass ? ' PASS' : ' FAIL'}`);
  for (const n of outcome.notes) console.log(`  ${n}`);
}
