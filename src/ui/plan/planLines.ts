/**
 * The plan as display lines, one function per view of the plan screen. Pure, so what the screen shows can be
 * checked without a terminal; every string from a config or a model passes through sanitizeLine.
 */
import { formatDuration, type Plan } from '../../core/plan.js';
import { formatUsd } from '../../core/prices.js';
import type { Topic } from '../../core/types.js';
import { count } from '../format.js';
import { sanitizeForTerminal, sanitizeLine } from '../sanitize.js';

export type Tone = 'normal' | 'dim' | 'warn' | 'accent';
export interface Line {
  text: string;
  tone?: Tone;
}

export function costText(plan: Plan): string {
  const e = plan.estimate;
  if (e.costUsd === null || e.price === null) return `unknown price for "${sanitizeLine(plan.config.provider.model)}"`;
  return `≈${formatUsd(e.costUsd)} at $${e.price.input}/$${e.price.output} per 1M tokens (${e.price.source}, ${e.price.date})`;
}

export function overBudget(plan: Plan): boolean {
  return plan.estimate.costUsd !== null && plan.estimate.costUsd > plan.config.budget_usd;
}

/** The numbers a user approves: calls, tokens, cost, budget, time, splits. */
export function estimateLines(plan: Plan): Line[] {
  const c = plan.config;
  const e = plan.estimate;
  const lines: Line[] = [
    { text: `${count(c.size)} ${plan.datasetType} examples of ${sanitizeLine(c.task)} (${sanitizeLine(c.domain)})` },
    {
      text: `Calls   ${count(e.calls.total)}: ${count(e.calls.topics)} topic expansion, ${count(e.calls.samples)} samples, ~${count(e.calls.retries)} retries`,
    },
    { text: `Tokens  ≈${count(e.tokens.input)} in · ${count(e.tokens.output)} out` },
    { text: `Cost    ${costText(plan)}`, tone: e.costUsd === null ? 'warn' : 'accent' },
    {
      text: `Budget  ${formatUsd(c.budget_usd)} cap${overBudget(plan) ? ': below the estimate, the run will pause at the cap' : ''}`,
      tone: overBudget(plan) ? 'warn' : 'normal',
    },
    { text: `Time    ≈${formatDuration(e.wallTimeS)} at concurrency ${c.provider.concurrency}` },
    {
      text: `Splits  train ${count(plan.splits.train)} · validation ${count(plan.splits.validation)} · test ${count(plan.splits.test)} · format ${c.format}`,
    },
  ];
  if (c.provider.name === 'demo') lines.push({ text: 'DEMO provider: offline template data, not model output', tone: 'warn' });
  return lines;
}

/** Target examples per topic id: leaves from the plan, inner nodes the sum of their children. */
function targetsOf(plan: Plan, tree: Topic): Map<string, number> {
  const leaf = new Map(plan.leaves.map((l) => [l.topicId, l.target]));
  const out = new Map<string, number>();
  const walk = (node: Topic): number => {
    const own = node.children.length === 0 ? (leaf.get(node.id) ?? 0) : node.children.reduce((n, c) => n + walk(c), 0);
    out.set(node.id, own);
    return own;
  };
  walk(tree);
  return out;
}

export interface TreeRow {
  id: string;
  depth: number;
  name: string;
  weight: number;
  target: number;
  leaf: boolean;
}

/** The tree below the root, depth first, with each node's target. */
export function treeRows(plan: Plan, tree: Topic): TreeRow[] {
  const targets = targetsOf(plan, tree);
  const rows: TreeRow[] = [];
  const walk = (node: Topic, depth: number): void => {
    for (const child of node.children) {
      rows.push({ id: child.id, depth, name: sanitizeLine(child.name), weight: child.weight, target: targets.get(child.id) ?? 0, leaf: child.children.length === 0 });
      walk(child, depth + 1);
    }
  };
  walk(tree, 0);
  return rows;
}

export function treeRowText(row: TreeRow): string {
  const weight = row.weight !== 1 ? ` ×${row.weight}` : '';
  return `${'  '.repeat(row.depth)}${row.leaf ? '·' : '▸'} ${row.name}  ${count(row.target)}${weight}`;
}

export function topicLines(plan: Plan): Line[] {
  const c = plan.config;
  if (plan.tree) {
    return [
      { text: `${plan.leaves.length} leaf topics (expanded), targets add up to ${count(c.size)}`, tone: 'dim' },
      ...treeRows(plan, plan.tree).map((row) => ({ text: treeRowText(row) })),
    ];
  }
  const expansion =
    plan.estimate.calls.topics > 0
      ? `subtopics are expanded after approval (depth ${c.topics.depth}, ${c.topics.degree} a node; "Preview topics" shows them first)`
      : 'no topic expansion (depth 0): categories are the topics';
  return [
    { text: `${plan.categories.length} categories, targets add up to ${count(c.size)}`, tone: 'dim' },
    ...plan.categories.map((cat) => ({
      text: `${String(count(cat.target)).padStart(7)}  ${sanitizeLine(cat.name)}${cat.weight !== 1 ? ` (weight ${cat.weight})` : ''}`,
    })),
    { text: expansion, tone: 'dim' },
  ];
}

export function diversityLines(plan: Plan): Line[] {
  return plan.axes.flatMap((axis) => [
    { text: axis.name, tone: 'accent' as Tone },
    ...axis.values.map((v) => ({ text: `  ${String(count(v.count)).padStart(7)}  ${sanitizeLine(v.value)}` })),
  ]);
}

/** Word-wraps text to `width` columns; long words are cut. Newlines in the text are kept. */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(10, width);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((x) => x !== '')) {
      let rest = word;
      while (rest.length > w) {
        if (line) out.push(line);
        out.push(rest.slice(0, w));
        rest = rest.slice(w);
        line = '';
      }
      if (line === '') line = rest;
      else if (line.length + 1 + rest.length <= w) line += ` ${rest}`;
      else {
        out.push(line);
        line = rest;
      }
    }
    out.push(line);
  }
  return out;
}

/** The sample prompt exactly as it will be sent, sanitised and wrapped for scrolling. */
export function promptLines(plan: Plan, width: number): Line[] {
  const { system, user } = plan.prompts.sample;
  const body = (text: string): Line[] => wrapText(sanitizeForTerminal(text), width - 2).map((t) => ({ text: `  ${t}` }));
  return [
    { text: 'One sample request as it will be sent (system, then user):', tone: 'dim' },
    { text: 'system', tone: 'accent' },
    ...body(system),
    { text: 'user', tone: 'accent' },
    ...body(user),
  ];
}
