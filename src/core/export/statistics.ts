/** SPEC 8 statistics of one export: what dataset_info.txt and the dataset card report. */
import { countTokens } from '../tokens.js';
import type { Sample } from '../types.js';
import type { SessionForExport } from './session.js';
import { hasReasoning, isMultiTurn } from './formats/shared.js';
import { SPLIT_NAMES } from './splits.js';

export interface DatasetStats {
  rows: number;
  /** Rows per split, in SPLIT_NAMES order (0 for a split that was not written). */
  splitRows: number[];
  categories: { name: string; perSplit: number[]; total: number }[];
  userMessages: number;
  assistantMessages: number;
  avgUserTokens: number;
  avgAssistantTokens: number;
  avgReasoningTokens: number | null;
  multiTurn: number;
  systemPrompts: { distinct: number; samples: number };
  reasoningSamples: number;
  toolSamples: number;
  toolNames: string[];
  nearDuplicateGroups: { groups: number; rows: number };
  exactDuplicates: number;
  duplicatesRemoved: number;
  failuresByKind: [string, number][];
  tokens: { input: number; output: number };
  costUsd: number;
  /** The LLM judge's spend (issue 11), when it made any request. */
  judge?: { requests: number; costUsd: number; tokens: { input: number; output: number } };
  requests: number;
  models: string[];
  dates: { first: string; last: string } | null;
  demoSamples: number;
}

export interface StatsInput {
  session: SessionForExport;
  /** Category and split of every row, in the same order. */
  categories: readonly string[];
  splitOf: readonly number[];
  groups: readonly (readonly number[])[];
  exactDuplicates: number;
}

/** The statistics of the rows, gathered one sample at a time (no sample or token list is kept). */
export class StatsTally {
  private rows = 0;
  private userTokens = 0;
  private userMessages = 0;
  private assistantTokens = 0;
  private assistantMessages = 0;
  private reasoningTokens = 0;
  private reasoningSamples = 0;
  private readonly systemTexts = new Set<string>();
  private systemSamples = 0;
  private multiTurn = 0;
  private toolSamples = 0;
  private readonly tools = new Set<string>();
  private readonly models = new Set<string>();
  private firstDate: string | null = null;
  private lastDate: string | null = null;
  private demoSamples = 0;

  /** Counts one sample that is a row of the export. */
  add(s: Sample): void {
    this.rows++;
    let hasSystem = false;
    for (const m of s.messages) {
      if (m.role === 'user') {
        this.userMessages++;
        this.userTokens += countTokens(m.content);
      } else if (m.role === 'assistant') {
        this.assistantMessages++;
        this.assistantTokens += countTokens(m.content);
        for (const c of m.tool_calls ?? []) this.tools.add(c.function.name);
      } else if (m.role === 'system') {
        hasSystem = true;
        this.systemTexts.add(m.content);
      }
    }
    if (hasSystem) this.systemSamples++;
    if (s.reasoning) this.reasoningTokens += countTokens(s.reasoning);
    if (hasReasoning(s)) this.reasoningSamples++;
    if (isMultiTurn(s)) this.multiTurn++;
    if (s.messages.some((m) => m.tool_calls)) this.toolSamples++;
    if (s.model) this.models.add(s.model);
    if (s.created_at) {
      if (this.firstDate === null || s.created_at < this.firstDate) this.firstDate = s.created_at;
      if (this.lastDate === null || s.created_at > this.lastDate) this.lastDate = s.created_at;
    }
    if (s.demo) this.demoSamples++;
  }

  stats({ session, categories, splitOf, groups, exactDuplicates }: StatsInput): DatasetStats {
    const splitRows = SPLIT_NAMES.map(() => 0);
    const byCategory = new Map<string, number[]>();
    categories.forEach((category, i) => {
      const split = splitOf[i] as number;
      splitRows[split] = (splitRows[split] as number) + 1;
      const perSplit = byCategory.get(category) ?? SPLIT_NAMES.map(() => 0);
      perSplit[split] = (perSplit[split] as number) + 1;
      byCategory.set(category, perSplit);
    });
    const multi = groups.filter((g) => g.length > 1);
    const failures = Object.keys(session.failuresByKind).length > 0 ? session.failuresByKind : session.stats.failures;
    const { rows, userMessages, assistantMessages, reasoningSamples } = this;
    return {
      rows,
      splitRows,
      categories: [...byCategory.entries()]
        .map(([name, perSplit]) => ({ name, perSplit, total: perSplit.reduce((a, b) => a + b, 0) }))
        .sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1)),
      userMessages,
      assistantMessages,
      avgUserTokens: userMessages ? this.userTokens / userMessages : 0,
      avgAssistantTokens: assistantMessages ? this.assistantTokens / assistantMessages : 0,
      avgReasoningTokens: reasoningSamples ? this.reasoningTokens / reasoningSamples : null,
      multiTurn: this.multiTurn,
      systemPrompts: { distinct: this.systemTexts.size, samples: this.systemSamples },
      reasoningSamples,
      toolSamples: this.toolSamples,
      toolNames: [...this.tools].sort(),
      nearDuplicateGroups: { groups: multi.length, rows: multi.reduce((a, g) => a + g.length, 0) },
      exactDuplicates,
      duplicatesRemoved: session.stats.duplicates,
      failuresByKind: Object.entries(failures)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
      tokens: session.stats.tokens,
      costUsd: session.stats.cost_usd,
      ...judgeSpend(session.stats),
      requests: session.stats.requests,
      models: [...this.models].sort(),
      dates: this.firstDate !== null && this.lastDate !== null ? { first: this.firstDate, last: this.lastDate } : null,
      demoSamples: this.demoSamples,
    };
  }
}

/** Size bucket names the Hugging Face Hub uses. */
export function sizeCategory(rows: number): string {
  const buckets: [number, string][] = [
    [1_000, 'n<1K'],
    [10_000, '1K<n<10K'],
    [100_000, '10K<n<100K'],
    [1_000_000, '100K<n<1M'],
    [10_000_000, '1M<n<10M'],
  ];
  for (const [limit, name] of buckets) if (rows < limit) return name;
  return '10M<n<100M';
}

/** The judge's spend from session.yaml's stats.spend.judge (written by the ledger), when it made any request. */
function judgeSpend(stats: { judge?: { requests: number; input_tokens: number; output_tokens: number; cost_usd: number } }): { judge?: NonNullable<DatasetStats['judge']> } {
  const j = stats.judge;
  if (!j) return {};
  return { judge: { requests: j.requests, costUsd: j.cost_usd, tokens: { input: j.input_tokens, output: j.output_tokens } } };
}
