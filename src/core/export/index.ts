/**
 * SPEC 8: rebuilds SESSION/dataset/ from samples.jsonl (minus removed.jsonl): split files in the chosen
 * trainer format, dataset_info.txt and a Hugging Face dataset card. Each file is written atomically.
 * A split with no rows gets no file, and a split file left from an earlier export that this one does not
 * produce is deleted, so dataset/ and the card's data_files always agree.
 *
 * Memory does not grow with the session's text: a first pass over samples.jsonl keeps, per sample, where
 * its line is and its shingles (for near duplicates), and tallies the notes and statistics; the rows are
 * then written one at a time, each sample read back from its line.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../config.js';
import { UsageError } from '../errors.js';
import { describeConflict, TypeConsistency } from '../validate/type-consistency.js';
import { renderDatasetCard } from './dataset-card.js';
import { renderDatasetInfo } from './dataset-info.js';
import { type ExportContext, ExportContextBuilder, type FormatWriter, formatWriter, type ParallelCalls, type TrlStyle } from './formats/index.js';
import { AtomicFile, writeFileAtomic } from './jsonl.js';
import { type ExportOrder, KeptSamples } from './kept-samples.js';
import { duplicateGroups } from './near-duplicates.js';
import { seededRandom, shuffled } from './random.js';
import { forEachSample, readSessionForExport, SampleFile } from './session.js';
import { assignSplits, SPLIT_NAMES, type SplitRatios } from './splits.js';
import { StatsTally } from './statistics.js';
import { type RowLayout, splitFiles, TRAINER_FILES, trainerFiles } from './trainers/index.js';

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

  const writer = formatWriter(format, trlStyle, opts.parallelCalls ?? 'keep');
  const context = new ExportContextBuilder();
  const kept = new KeptSamples();
  const tally = new StatsTally();
  const sessionNotes = forEachSample(sessionDir, (sample, at) => {
    context.add(sample);
    writer.count(sample);
    if (writer.holds(sample)) {
      kept.add(sample, at);
      tally.add(sample);
    }
  });
  if (kept.size === 0) throw new UsageError(`${sessionDir} has no samples to export in the ${format} format`);
  const ctx = context.context(session.config.conversation.tools);
  const order = kept.exportOrder();
  const categories = order.categories();

  const samples = new SampleFile(sessionDir);
  try {
    const { groups, exactDuplicates } = duplicateGroups(order.texts(samples));
    const split = assignSplits(categories, groups, ratios, seed);
    const notes = [...sessionNotes, ...writer.notes(ctx)];

    const dir = join(sessionDir, 'dataset');
    mkdirSync(dir, { recursive: true });
    removeAbandonedTempFiles(dir);
    const rows: SplitRows = { order, samples, writer, ctx, types: new TypeConsistency(), notes };
    const random = seededRandom(seed ^ 0x2545f491);
    const files: ExportResult['files'] = [];
    SPLIT_NAMES.forEach((name, s) => {
      const path = join(dir, `${name}.jsonl`);
      const members = shuffled(positionsIn(split.splitOf, s), random);
      if (members.length === 0) {
        rmSync(path, { force: true });
        const ratio = [ratios.train, ratios.validation, ratios.test][s] as number;
        if (ratio > 0) notes.push(`${name}: a ratio of ${ratio} of ${order.size} rows rounds to no rows, so no ${name}.jsonl was written`);
        return;
      }
      writeSplit(path, name, members, rows);
      files.push({ split: name, path, rows: members.length });
    });
    if (split.sizes.some((n, s) => n !== split.targets[s])) {
      notes.push(
        `split sizes ${split.sizes.join('/')} differ from the exact ${split.targets.join('/')}: a group of near duplicates was too large to fit its split`,
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
    const infoInput = { session, stats, format, formatLabel, ratios, seed, files, notes, layout };
    const infoPath = join(dir, 'dataset_info.txt');
    writeFileAtomic(infoPath, renderDatasetInfo(infoInput));
    const cardPath = join(dir, 'README.md');
    writeFileAtomic(cardPath, renderDatasetCard(infoInput));
    const trainerPaths = writeTrainerFiles(dir, trainer.files);
    return { dir, files, infoPath, cardPath, trainerPaths, notes };
  } finally {
    samples.close();
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

/** Writes the trainer files beside the splits and removes one an earlier export wrote that this one does not. */
function writeTrainerFiles(dir: string, files: readonly { name: string; content: string }[]): string[] {
  for (const name of TRAINER_FILES) if (!files.some((f) => f.name === name)) rmSync(join(dir, name), { force: true });
  return files.map((f) => {
    const path = join(dir, f.name);
    writeFileAtomic(path, f.content);
    return path;
  });
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

/** Temp files of an export that crashed before its rename (their process is gone). */
function removeAbandonedTempFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = /^(?:train\.jsonl|validation\.jsonl|test\.jsonl|dataset_info\.txt|README\.md|dataset_info\.json|axolotl\.yaml)\.tmp-(\d+)$/.exec(name);
    if (m && !isAlive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
