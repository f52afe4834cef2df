/** dataset_info.txt: the statistics of SPEC 8 as plain text a person reads next to the files. */
import type { ExportFormat } from '../config.js';
import { qualitySummary } from '../quality/report/render.js';
import type { QualityReport } from '../quality/report/types.js';
import type { SessionForExport } from './session.js';
import type { SplitRatios } from './splits.js';
import { SPLIT_NAMES } from './splits.js';
import type { DatasetStats } from './statistics.js';
import type { RowLayout } from './trainers/index.js';
import { fileName, oneLine, percent, table, thousands } from './text.js';

/** What an export states about its dataset, in dataset_info.txt and in the dataset card alike. */
export interface DatasetFacts {
  session: SessionForExport;
  stats: DatasetStats;
  format: ExportFormat;
  formatLabel: string;
  ratios: SplitRatios;
  seed: number;
  files: { split: string; path: string; rows: number }[];
  notes: readonly string[];
  /** What trainers need to know about the rows: the card's format section and recipes come from it. */
  layout: RowLayout;
  /** The quality report written beside it (dataset/quality.json), summarised in dataset_info.txt. */
  quality?: QualityReport;
  /** Lines on grounding and augmentation (source-stats.ts); none for other sessions. */
  sourceLines?: readonly string[];
}

export function renderDatasetInfo({ session, stats, format, formatLabel, ratios, seed, files, notes, quality, sourceLines = [] }: DatasetFacts): string {
  const c = session.config;
  const out: string[] = [];
  out.push(`synthloom dataset: ${oneLine(session.name)}`);
  out.push(`task: ${oneLine(c.task)}`, `domain: ${oneLine(c.domain)}`);
  out.push(`format: ${format} (${formatLabel})`);
  out.push(`model: ${stats.models.map(oneLine).join(', ') || c.provider.model} (provider ${c.provider.name})`);
  out.push(`generated: ${generatedDates(stats)}`);
  out.push(`splits: train ${ratios.train} / validation ${ratios.validation} / test ${ratios.test}, seed ${seed}`);
  if (stats.demoSamples > 0) out.push(`DEMO DATA: ${stats.demoSamples} sample(s) come from the offline demo provider (templates, not model output)`);

  out.push('', 'rows');
  const splitRows = SPLIT_NAMES.map((name, i) => {
    const file = files.find((f) => f.split === name);
    return [`  ${name}`, String(stats.splitRows[i]), file ? fileName(file.path) : '(not written)'];
  });
  out.push(...table([...splitRows, ['  total', String(stats.rows), '']]));

  out.push('', 'categories (rows per split)');
  out.push(
    ...table([
      ['  category', ...SPLIT_NAMES, 'total'],
      ...stats.categories.map((cat) => [`  ${oneLine(cat.name)}`, ...cat.perSplit.map(String), String(cat.total)]),
    ]),
  );

  out.push('', 'content (tokens counted with the o200k tokenizer)');
  out.push(`  average user message: ${stats.avgUserTokens.toFixed(1)} tokens (${stats.userMessages} messages)`);
  out.push(`  average assistant message: ${stats.avgAssistantTokens.toFixed(1)} tokens (${stats.assistantMessages} messages)`);
  if (stats.avgReasoningTokens !== null) {
    out.push(`  reasoning: ${stats.reasoningSamples} samples, average ${stats.avgReasoningTokens.toFixed(1)} tokens`);
  }
  out.push(`  multi-turn: ${stats.multiTurn} of ${stats.rows} samples (${percent(stats.multiTurn, stats.rows)})`);
  const sys = stats.systemPrompts;
  out.push(
    sys.samples === 0
      ? '  system prompts: none'
      : `  system prompts: ${sys.distinct} distinct, in ${sys.samples} of ${stats.rows} samples (${percent(sys.samples, stats.rows)})`,
  );
  if (stats.toolSamples > 0) {
    out.push(`  tool calls: in ${stats.toolSamples} samples (${stats.toolNames.map(oneLine).join(', ')})`);
  }

  out.push(...sourceLines);

  out.push('', 'generation');
  out.push(`  duplicates removed during generation: ${stats.duplicatesRemoved}`);
  out.push(
    `  near-duplicate groups kept whole in one split: ${stats.nearDuplicateGroups.groups} (${stats.nearDuplicateGroups.rows} rows, ${stats.exactDuplicates} exact repeats)`,
  );
  const failures = stats.failuresByKind.map(([kind, n]) => `${kind} ${n}`).join(', ');
  out.push(`  failures by kind: ${failures || 'none'}`);
  out.push(`  requests: ${thousands(stats.requests)}`);
  out.push(`  tokens: ${thousands(stats.tokens.input)} input, ${thousands(stats.tokens.output)} output`);
  out.push(`  cost: $${stats.costUsd.toFixed(4)} USD`);
  if (stats.judge) out.push(`  judge spend (included above): ${thousands(stats.judge.requests)} requests, ${thousands(stats.judge.tokens.input)} input, ${thousands(stats.judge.tokens.output)} output tokens, $${stats.judge.costUsd.toFixed(4)} USD`);

  if (quality) out.push('', 'quality (details in quality.json; `synthloom quality` for line numbers)', ...qualitySummary(quality));

  out.push('', 'notes');
  if (notes.length === 0) out.push('  - none: every field of every sample is in the files');
  for (const note of notes) out.push(`  - ${oneLine(note)}`);
  return `${out.join('\n')}\n`;
}

export function generatedDates(stats: DatasetStats): string {
  if (!stats.dates) return 'unknown';
  const first = stats.dates.first.slice(0, 10);
  const last = stats.dates.last.slice(0, 10);
  return first === last ? first : `${first} to ${last}`;
}
