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
  requests: number;
  models: string[];
  dates: { first: string; last: string } | null;
  demoSamples: number;
}

export interface StatsInput {
  session: SessionForExport;
  samples: readonly Sample[];
  splitOf: readonly number[];
  groups: readonly (readonly number[])[];
  exactDuplicates: number;
}

export function computeStats({ session, samples, splitOf, groups, exactDuplicates }: StatsInput): DatasetStats {
  const splitRows = SPLIT_NAMES.map(() => 0);
  const byCategory = new Map<string, number[]>();
  let userTokens = 0;
  let userMessages = 0;
  let assistantTokens = 0;
  let assistantMessages = 0;
  let reasoningTokens = 0;
  const systemTexts = new Set<string>();
  let systemSamples = 0;
  const tools = new Set<string>();
  const models = new Set<string>();
  const dates: string[] = [];
  samples.forEach((s, i) => {
    const split = splitOf[i] as number;
    splitRows[split] = (splitRows[split] as number) + 1;
    const perSplit = byCategory.get(s.category) ?? SPLIT_NAMES.map(() => 0);
    perSplit[split] = (perSplit[split] as number) + 1;
    byCategory.set(s.category, perSplit);
    let hasSystem = false;
    for (const m of s.messages) {
      if (m.role === 'user') {
        userMessages++;
        userTokens += countTokens(m.content);
      } else if (m.role === 'assistant') {
        assistantMessages++;
        assistantTokens += countTokens(m.content);
        for (const c of m.tool_calls ?? []) tools.add(c.function.name);
      } else if (m.role === 'system') {
        hasSystem = true;
        systemTexts.add(m.content);
      }
    }
    if (hasSystem) systemSamples++;
    if (s.reasoning) reasoningTokens += countTokens(s.reasoning);
    if (s.model) models.add(s.model);
    if (s.created_at) dates.push(s.created_at);
  });
  const reasoningSamples = samples.filter(hasReasoning).length;
  const multi = groups.filter((g) => g.length > 1);
  dates.sort();
  const failures = Object.keys(session.failuresByKind).length > 0 ? session.failuresByKind : session.stats.failures;
  return {
    rows: samples.length,
    splitRows,
    categories: [...byCategory.entries()]
      .map(([name, perSplit]) => ({ name, perSplit, total: perSplit.reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1)),
    userMessages,
    assistantMessages,
    avgUserTokens: userMessages ? userTokens / userMessages : 0,
    avgAssistantTokens: assistantMessages ? assistantTokens / assistantMessages : 0,
    avgReasoningTokens: reasoningSamples ? reasoningTokens / reasoningSamples : null,
    multiTurn: samples.filter(isMultiTurn).length,
    systemPrompts: { distinct: systemTexts.size, samples: systemSamples },
    reasoningSamples,
    toolSamples: samples.filter((s) => s.messages.some((m) => m.tool_calls)).length,
    toolNames: [...tools].sort(),
    nearDuplicateGroups: { groups: multi.length, rows: multi.reduce((a, g) => a + g.length, 0) },
    exactDuplicates,
    duplicatesRemoved: session.stats.duplicates,
    failuresByKind: Object.entries(failures)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    tokens: session.stats.tokens,
    costUsd: session.stats.cost_usd,
    requests: session.stats.requests,
    models: [...models].sort(),
    dates: dates.length > 0 ? { first: dates[0] as string, last: dates[dates.length - 1] as string } : null,
    demoSamples: samples.filter((s) => s.demo).length,
  };
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
