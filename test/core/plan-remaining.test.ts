import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { buildPlan } from '../../src/core/plan.js';
import { remainingEstimate } from '../../src/core/plan-remaining.js';
import { initialTree } from '../../src/core/tree.js';

describe('remainingEstimate', () => {
  const config = validateConfig({ name: 'r', task: 't', domain: 'd', size: 100, provider: { model: 'gpt-4.1-mini' }, topics: { categories: [{ name: 'A' }, { name: 'B' }], depth: 0 } });
  const plan = buildPlan(config, initialTree(config));

  it('is the plan\'s sample estimate pro-rated by the slots left', () => {
    const all = remainingEstimate(plan, 100);
    expect(all.costUsd).toBeCloseTo(plan.estimate.costUsd! - (plan.estimate.topicCostUsd ?? 0), 10);
    const part = remainingEstimate(plan, 25);
    expect(part.costUsd!).toBeCloseTo(all.costUsd! / 4, 10);
    expect(part.requests).toBe(Math.ceil(25 / config.provider.samples_per_call) + Math.ceil(Math.ceil(25 / config.provider.samples_per_call) * 0.06));
    expect(remainingEstimate(plan, 0)).toEqual({ requests: 0, tokens: { input: 0, output: 0 }, costUsd: 0 });
  });

  it('is null without a price', () => {
    const unpriced = buildPlan(validateConfig({ ...config, provider: { ...config.provider, model: 'no-such-model' } }), initialTree(config));
    expect(remainingEstimate(unpriced, 10).costUsd).toBeNull();
  });
});
