import { describe, expect, test } from 'vitest';
import { parseConfigText, type Config } from '../../src/core/config.js';
import { buildPlan, planSummaryLines, retarget } from '../../src/core/plan.js';
import { slotSpecs } from '../../src/core/slots.js';
import { editTree, initialTree, leafTargets, plannedExpansionCalls } from '../../src/core/tree.js';
import type { Topic } from '../../src/core/types.js';

const base = 'name: t\ntask: customer support\ndomain: returns\n';
const config = (extra: string): Config => parseConfigText(base + extra, 'test');

function tree(config: Config, names: string[][]): Topic {
  const root = initialTree(config);
  root.children = names.map((kids, i) => ({
    id: `t0-${i}`, name: `c${i}`, path: [`c${i}`], weight: 1,
    children: kids.map((k, j) => ({ id: `t0-${i}-${j}`, name: k, path: [`c${i}`, k], weight: 1, children: [] })),
  }));
  return root;
}

describe('plan', () => {
  test('category targets respect weights and add up to size exactly', () => {
    const c = config('size: 101\ntopics: { categories: [{name: a, weight: 3}, {name: b, weight: 1}, {name: c, weight: 1}], depth: 0 }\n');
    const plan = buildPlan(c);
    expect(plan.categories.map((x) => x.target)).toEqual([61, 20, 20]);
    expect(plan.leaves.reduce((n, l) => n + l.target, 0)).toBe(101);
    expect(plan.estimate.calls.topics).toBe(0);
  });

  test('an over-full topic list is trimmed and a short one is cycled', () => {
    const c = config('size: 3\ntopics: { depth: 1 }\n');
    const t = tree(c, [['a', 'b', 'c', 'd', 'e']]);
    expect(leafTargets(t, 3).map((l) => l.target)).toEqual([1, 1, 1]);
    const cycled = leafTargets(t, 12);
    expect(cycled).toHaveLength(5);
    expect(cycled.reduce((n, l) => n + l.target, 0)).toBe(12);
  });

  test('expansion calls are counted without calling anyone, and one-example nodes are not expanded', () => {
    expect(plannedExpansionCalls(config('size: 100\ntopics: { depth: 2, degree: 4 }\n'))).toBe(5);
    expect(plannedExpansionCalls(config('size: 3\ntopics: { depth: 2, degree: 4 }\n'))).toBe(1);
    expect(plannedExpansionCalls(config('size: 100\ntopics: { depth: 0 }\n'))).toBe(0);
  });

  test('the estimate has calls, tokens, a priced cost, time and split sizes', () => {
    const plan = buildPlan(config('size: 200\n'));
    expect(plan.estimate.calls.samples).toBe(200);
    expect(plan.estimate.calls.retries).toBeGreaterThan(0);
    expect(plan.estimate.tokens.input).toBeGreaterThan(200 * 100);
    expect(plan.estimate.costUsd).toBeGreaterThan(0);
    expect(plan.estimate.price?.source).toBe('price table');
    expect(plan.splits).toEqual({ train: 160, validation: 20, test: 20 });
    expect(plan.prompts.sample.user).toContain('Return exactly 1 examples');
    expect(planSummaryLines(plan).join('\n')).toMatch(/Cost \(estimate\): \$\d+\.\d+ at \$0\.4\/\$1\.6 per 1M tokens/);
  });

  test('an unknown model says its price is unknown; a price override prices it', () => {
    const unknown = buildPlan(config('size: 10\nprovider: { model: my-finetune }\n'));
    expect(unknown.estimate.costUsd).toBeNull();
    expect(planSummaryLines(unknown).join('\n')).toContain('not in the price table');
    const priced = buildPlan(config('size: 10\nprovider: { model: my-finetune, price: { input: 1, output: 2 } }\n'));
    expect(priced.estimate.costUsd).toBeGreaterThan(0);
  });

  test('the fingerprint is stable and changes with the model, not with the budget', () => {
    const a = buildPlan(config('size: 10\n'));
    expect(buildPlan(config('size: 10\n')).fingerprint).toBe(a.fingerprint);
    expect(buildPlan(config('size: 10\nbudget_usd: 99\n')).fingerprint).toBe(a.fingerprint);
    expect(buildPlan(config('size: 10\nprovider: { model: gpt-4o }\n')).fingerprint).not.toBe(a.fingerprint);
  });

  test('slot ids and axes are the same on every build and spread as configured', () => {
    const c = config('size: 400\nconversation: { multi_turn: 0.25, max_turns: 3 }\nnegatives: true\ntopics: { depth: 0 }\n');
    const plan = buildPlan(c);
    const a = slotSpecs(c, plan.leaves);
    expect(slotSpecs(c, plan.leaves)).toEqual(a);
    expect(new Set(a.map((s) => s.id)).size).toBe(400);
    expect(a.every((s) => /^[a-zA-Z0-9_-]{1,64}$/.test(s.id))).toBe(true);
    const multi = a.filter((s) => s.turns > 1).length;
    expect(multi).toBeGreaterThanOrEqual(90);
    expect(multi).toBeLessThanOrEqual(110);
    expect(a.filter((s) => s.scenario === 'negative').length).toBeGreaterThan(30);
    expect(a.filter((s) => s.scenario === 'edge_case').length).toBeGreaterThan(45);
    const audience = plan.axes.find((x) => x.name === 'audience')!;
    expect(audience.values.map((v) => v.count)).toEqual([134, 133, 133]);
  });

  test('tree edits keep ids, and retarget spreads size over the edited tree', () => {
    const c = config('size: 20\ntopics: { depth: 1 }\n');
    let t = tree(c, [['a', 'b'], ['c', 'd']]);
    t = editTree(t, { op: 'remove', id: 't0-0-1' });
    t = editTree(t, { op: 'rename', id: 't0-1-0', name: 'renamed' });
    t = editTree(t, { op: 'reweight', id: 't0-1', weight: 3 });
    const plan = retarget(buildPlan(c), t);
    expect(plan.leaves.map((l) => [l.topicId, l.target])).toEqual([['t0-0-0', 5], ['t0-1-0', 8], ['t0-1-1', 7]]);
    expect(plan.leaves[1]!.path).toEqual(['c1', 'renamed']);
    expect(plan.expanded).toBe(true);
    expect(() => editTree(t, { op: 'remove', id: 't0' })).toThrow(/root/);
  });
});
