/**
 * SPEC 8: rebuilds SESSION/dataset/ from samples.jsonl (minus removed.jsonl): split files in the chosen
 * trainer format, dataset_info.txt, a Hugging Face dataset card and .export.json (what it was made from).
 * The whole directory is built beside dataset/ and swapped in (swap.ts), so a kill at any moment leaves
 * either the old export or the new one, never a mix. A split with no rows gets no file, so dataset/ and the
 * card's data_files always agree.
 *
 * Memory does not grow with the session's text: a first pass over samples.jsonl keeps, per sample, where
 * its line is and its shingles (for near duplicates), and tallies the notes and statistics; the rows are
 * then written one at a time, each sample read back from its line.
 */
import { join } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../config.js';
import { UsageError } from '../errors.js';
import { describeConflict, TypeConsistency } from '../validate/type-consistency.js';
import { sessionQualityReport } from '../quality/report/session.js';
import { renderDatasetCard } from './dataset-card.js';
import { renderDatasetInfo } from './dataset-info.js';
import { type ExportContext, ExportContextBuilder, type FormatWriter, formatWriter, type ParallelCalls, type TrlStyle } from './formats/index.js';
import { AtomicFile, writeFileAtomic } from './jsonl.js';
import { type ExportOrder, KeptSamples } from './kept-samples.js';
import { type ExportManifest, MANIFEST_FILE, sessionMarks } from './manifest.js';
import { duplicateGroups } from './near-duplicates.js';
import { seededRandom, shuffled } from './random.js';
import { forEachSample, readSessionForExport, SampleFile } from './session.js';
import { joinGroupsByKey } from './source-groups.js';
import { SourceTally } from './source-stats.js';
import { assignSplits, SPLIT_NAMES, type SplitRatios } from './splits.js';
import { abandonStaging, beginStaging, carryOver, DATASET_DIR, recoverDataset, swapIn } from './swap.js';
import { StatsTally } from './statistics.js';
import { type RowLayout, splitFiles, trainerFiles } from './trainers/index.js';

export type { ExportFormat } from '../config.js';
export type { SplitRatios } from './splits.js';

export interface ExportOptions {
  format?: ExportFormat;
  splits?: SplitRatios;
  seed?: number;
  trlStyle?: TrlStyle;
  /** `split`: one tool call per assistant turn, each followed by its result (Llama 3.1 templates). Default keep. */
  parallelCalls?: ParallelCalls;
}

export interface ExportResult {
  dir: string;
  files: { split: string; path: string; rows: number }[];
  infoPath: string;
  cardPath: string;
  /** dataset_info.json (LLaMA-Factory) and axolotl.yaml, those this format has. */
  trainerPaths: string[];
  /** dataset/quality.json: the quality report of the session's samples (src/core/quality/report). */
  qualityPath: string;
  notes: string[];
}

export const FORMAT_LABELS: Record<ExportFormat | 'trl-prompt-completion', string> = {
  openai: 'OpenAI chat fine-tuning: {messages, tools?}, tool-call arguments as JSON strings',
  trl: 'TRL conversational: {messages, tools?}, tool-call arguments as objects',
  'trl-prompt-completion': 'TRL conversational prompt-completion: {prompt, completion, tools?}, tool-call arguments as objects',
  alpaca: 'Alpaca: {instruction, input, output, system?} from the first exchange',
  sharegpt: 'ShareGPT: {conversations: [{from, value}], tools?}',
};

export function checkSplitRatios(r: SplitRatios, source = 'splits'): SplitRatios {
  const values = [r.train, r.validation, r.test];
  if (values.some((x) => !Number.isFinite(x) || x < 0 || x > 1)) throw new UsageError(`${source}: each ratio must be between 0 and 1`);
  if (Math.abs(values.reduce((a, b) => a + b, 0) - 1) > 1e-6) throw new UsageError(`${source}: train + validation + test must add up to 1`);
  if (r.train <= 0) throw new UsageError(`${source}: train must be greater than 0`);
  return r;
}

export function exportSession(sessionDir: string, opts: ExportOptions = {}): ExportResult {
  const session = readSessionForExport(sessionDir);
  const format = opts.format ?? session.config.format;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`format: must be one of ${EXPORT_FORMATS.join(', ')}`);
  const ratios = checkSplitRatios(opts.splits ?? session.config.splits);
  const seed = opts.seed ?? session.config.seed;
  if (opts.trlStyle !== undefined && format !== 'trl') throw new UsageError(`--trl-style: applies only to the trl format (this export is ${format})`);
  const trlStyle = opts.trlStyle ?? 'messages';

  const recovered = recoverDataset(sessionDir);
  const marks = sessionMarks(sessionDir);
  const writer = formatWriter(format, trlStyle, opts.parallelCalls ?? 'keep');
  const context = new ExportContextBuilder();
  const kept = new KeptSamples();
  const tally = new StatsTally();
  const sources = new SourceTally();
  const sessionNotes = forEachSample(sessionDir, (sample, at) => {
    context.add(sample);
    writer.count(sample);
    if (writer.holds(sample)) {
      kept.add(sample, at);
      tally.add(sample);
      sources.add(sample);
    }
  });
  if (kept.size === 0) throw new UsageError(`${sessionDir} has no samples to export in the ${format} format`);
  const ctx = context.context(session.config.conversation.tools);
  const order = kept.exportOrder();
  const categories = order.categories();

  const samples = new SampleFile(sessionDir);
  const dir = join(sessionDir, DATASET_DIR);
  const staging = beginStaging(sessionDir);
  let swapped = false;
  try {
    const { groups, exactDuplicates } = duplicateGroups(order.texts(samples));
    const split = assignSplits(categories, joinGroupsByKey(groups, (p) => order.splitKeys(p)), ratios, seed);
    const notes = [...recovered, ...sessionNotes, ...writer.notes(ctx)];

    const rows: SplitRows = { order, samples, writer, ctx, types: new TypeConsistency(), notes };
    const random = seededRandom(seed ^ 0x2545f491);
    const files: ExportResult['files'] = [];
    SPLIT_NAMES.forEach((name, s) => {
      const path = join(dir, `${name}.jsonl`);
      const members = shuffled(positionsIn(split.splitOf, s), random);
      if (members.length === 0) {
        const ratio = [ratios.train, ratios.validation, ratios.test][s] as number;
        if (ratio > 0) notes.push(`${name}: a ratio of ${ratio} of ${order.size} rows rounds to no rows, so no ${name}.jsonl was written`);
        return;
      }
      writeSplit(join(staging, `${name}.jsonl`), name, members, rows);
      files.push({ split: name, path, rows: members.length });
    });
    if (split.sizes.some((n, s) => n !== split.targets[s])) {
      notes.push(
        `split sizes ${split.sizes.join('/')} differ from the exact ${split.targets.join('/')}: a group of near duplicates (or of samples from one document chunk or one origin) was too large to fit its split`,
      );
    }

    const stats = tally.stats({ session, categories, splitOf: split.splitOf, groups, exactDuplicates });
    const formatLabel = FORMAT_LABELS[format === 'trl' && trlStyle === 'prompt-completion' ? 'trl-prompt-completion' : format];
    const layout: RowLayout = {
      format,
      trlStyle,
      tools: ctx.tools !== null && format !== 'alpaca',
      toolCalls: stats.toolSamples > 0,
      system: ctx.hasSystem,
      reasoning: stats.reasoningSamples > 0 && format !== 'openai',
    };
    const trainer = trainerFiles(session.name, layout, splitFiles(files));
    notes.push(...trainer.notes);
    const quality = sessionQualityReport(sessionDir);
    writeFileAtomic(join(staging, 'quality.json'), `${JSON.stringify(quality, null, 2)}\n`);
    const infoInput = { session, stats, format, formatLabel, ratios, seed, files, notes, layout, quality, sourceLines: sources.lines() };
    writeFileAtomic(join(staging, 'dataset_info.txt'), renderDatasetInfo(infoInput));
    writeFileAtomic(join(staging, 'README.md'), renderDatasetCard(infoInput));
    for (const f of trainer.files) writeFileAtomic(join(staging, f.name), f.content);
    const manifest: ExportManifest = {
      version: 1,
      format,
      seed,
      rows: Object.fromEntries(files.map((f) => [f.split, f.rows])),
      ...marks,
    };
    // Written last: a staging directory with a manifest is a complete export (see swap.ts).
    carryOver(sessionDir, staging);
    writeFileAtomic(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    swapIn(sessionDir, staging);
    swapped = true;
    const trainerPaths = trainer.files.map((f) => join(dir, f.name));
    return { dir, files, infoPath: join(dir, 'dataset_info.txt'), cardPath: join(dir, 'README.md'), trainerPaths, qualityPath: join(dir, 'quality.json'), notes };
  } finally {
    samples.close();
    if (!swapped) abandonStaging(staging);
  }
}

/** What writing the rows of a split needs; `notes` collects the fields whose JSON type changes between rows. */
interface SplitRows {
  order: ExportOrder;
  samples: SampleFile;
  writer: FormatWriter;
  ctx: ExportContext;
  types: TypeConsistency;
  notes: string[];
}

/** Writes the rows at `members` (positions in the export order) one at a time, each read back from samples.jsonl. */
function writeSplit(path: string, name: string, members: readonly number[], { order, samples, writer, ctx, types, notes }: SplitRows): void {
  const file = new AtomicFile(path);
  try {
    members.forEach((position, k) => {
      const row = writer.row(order.read(samples, position), ctx);
      for (const conflict of types.add(row, k + 1)) notes.push(`${name}.jsonl line ${k + 1}: ${describeConflict(conflict)}`);
      file.write(`${JSON.stringify(row)}\n`);
    });
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
}

function positionsIn(splitOf: readonly number[], split: number): number[] {
  const out: number[] = [];
  splitOf.forEach((s, i) => {
    if (s === split) out.push(i);
  });
  return out;
}
