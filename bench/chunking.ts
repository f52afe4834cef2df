/**
 * Issue 12: chunk 50 MB of Markdown in under 10 s. Writes 200 generated Markdown files (headings, prose
 * of a Zipf-like vocabulary, lists, code fences) to a temp folder, then times loadDocuments +
 * chunkDocuments over them with the default grounding settings (800 tokens, 100 overlap).
 *
 *   node --import tsx bench/chunking.ts [--mb 50]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/core/random.js';
import { chunkDocuments } from '../src/core/sources/chunk.js';
import { loadDocuments } from '../src/core/sources/load.js';
import { tempDir } from './paths.js';
import { fixed, type BenchOutcome } from './report.js';

const FILES = 200;
const COMMON = (
  'the of and to a in is it you that he was for on are with as his they be at one have this from or had by hot word but what ' +
  'some we can out other were all there when up use your how said an each she which do their time if will way about many then ' +
  'them write would like so these her long make thing see him two has look more day could go come did number sound no most ' +
  'people my over know water than call first who may down side been now find any new work part take get place made live where ' +
  'after back little only round man year came show every good me give our under name very through just form sentence great ' +
  'think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also ' +
  'play small end put home read hand port large spell add even land here must big high such follow act why ask men change went ' +
  'light kind off need house picture try us again animal point mother world near build self earth father head stand own page ' +
  'should country found answer school grow study still learn plant cover food sun four between state keep eye never last let ' +
  'thought city tree cross farm hard start might story saw far sea draw left late run while press close night real life few north ' +
  'order refund return policy customer shipping delivery account payment invoice support warranty product service item store'
).split(' ');

/** About `bytes` of Markdown; deterministic. */
export function markdownCorpus(bytes: number, seed = 7): string[] {
  const random = mulberry32(seed);
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  // Prose: common English words (Zipf-like), with one word in eight a rarer made-up one (names, terms).
  const rare = Array.from({ length: 4000 }, (_, i) => {
    let w = '';
    for (let k = 0; k < 3 + (i % 8); k++) w += letters[Math.floor(Math.pow(random(), 1.6) * letters.length)];
    return w;
  });
  const word = () =>
    random() < 0.125
      ? (rare[Math.floor(random() * rare.length)] as string)
      : (COMMON[Math.floor(Math.pow(random(), 2) * COMMON.length)] as string);
  const sentence = () => {
    const n = 6 + Math.floor(random() * 20);
    const words = Array.from({ length: n }, word);
    if (random() < 0.2) words.push(String(Math.floor(random() * 1000)));
    const s = words.join(' ');
    return `${s[0]?.toUpperCase()}${s.slice(1)}.`;
  };
  const per = Math.ceil(bytes / FILES);
  const files: string[] = [];
  for (let f = 0; f < FILES; f++) {
    const parts: string[] = [`# Document ${f} ${word()}`];
    let size = 0;
    let h = 0;
    while (size < per) {
      const r = random();
      let block: string;
      if (r < 0.08) block = `${'#'.repeat(2 + Math.floor(random() * 3))} Section ${h++} ${word()} ${word()}`;
      else if (r < 0.14) block = Array.from({ length: 3 + Math.floor(random() * 5) }, () => `- ${sentence()}`).join('\n');
      else if (r < 0.17) block = `\`\`\`ts\n# not a heading\nconst ${word()} = ${Math.floor(random() * 100)};\nfunction ${word()}() { return ${word()}; }\n\`\`\``;
      else block = Array.from({ length: 2 + Math.floor(random() * 7) }, sentence).join(' ');
      parts.push(block);
      size += block.length + 2;
    }
    files.push(`${parts.join('\n\n')}\n`);
  }
  return files;
}

export async function benchChunking(mb = 50): Promise<BenchOutcome> {
  const work = tempDir('chunking');
  try {
    const dir = join(work.dir, 'docs');
    mkdirSync(dir, { recursive: true });
    let bytes = 0;
    markdownCorpus(mb * 1_000_000).forEach((text, i) => {
      writeFileSync(join(dir, `doc-${String(i).padStart(3, '0')}.md`), text);
      bytes += Buffer.byteLength(text);
    });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { documents } = await loadDocuments([{ path: 'docs' }], work.dir);
    const loaded = performance.now();
    const { chunks, droppedIdentical } = chunkDocuments(documents, { chunkTokens: 800, overlapTokens: 100 });
    const seconds = (performance.now() - started) / 1000;
    const chunkSeconds = (performance.now() - loaded) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const megabytes = bytes / 1_000_000;
    const tokens = chunks.reduce((n, c) => n + c.tokens, 0);
    return {
      figures: [
        { bench: 'chunking', figure: `chunking: ${fixed(megabytes, 0)} MB of Markdown`, target: '< 10 s', result: `${fixed(seconds, 2)} s (${fixed(megabytes / seconds, 1)} MB/s)`, pass: seconds < 10 },
      ],
      notes: [
        `CPU time ${fixed(cpuSeconds, 2)} s (wall time is longer when the machine is shared); ` +
          `${documents.length} files read in ${fixed((loaded - started) / 1000, 2)} s; chunked in ${fixed(chunkSeconds, 2)} s into ${chunks.length} chunks ` +
          `(${fixed(tokens / Math.max(1, chunks.length), 0)} tokens on average, ${droppedIdentical} identical dropped), 800 tokens, 100 overlap`,
      ],
    };
  } finally {
    work.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { mb: { type: 'string' } } });
  const outcome = await benchChunking(Number(values.mb ?? 50));
  for (const f of outcome.figures) console.log(`${f.figure}: ${f.result} (target ${f.target})`);
  for (const n of outcome.notes) console.log(n);
}
