import { expect, test } from 'vitest';
import { parseConfigText } from '../../src/core/config.js';
import { buildPlan, computeFingerprint, planSummaryLines } from '../../src/core/plan.js';

const base = 'name: t\ntask: customer support\ndomain: refunds\nsize: 100\nprovider: { name: openai, model: gpt-4.1-mini }\n';

test('the judge off leaves the fingerprint and estimate as they were; on, it changes both and shows its own line', () => {
  const plain = parseConfigText(base, 't');
  const off = parseConfigText(`${base}quality: { judge: { enabled: false, threshold: 4 } }\n`, 't');
  const on = parseConfigText(`${base}quality: { judge: { enabled: true } }\n`, 't');
  const stricter = parseConfigText(`${base}quality: { judge: { enabled: true, threshold: 4 } }\n`, 't');
  expect(computeFingerprint(off).fingerprint).toBe(computeFingerprint(plain).fingerprint);
  expect(computeFingerprint(on).fingerprint).not.toBe(computeFingerprint(plain).fingerprint);
  expect(computeFingerprint(stricter).fingerprint).not.toBe(computeFingerprint(on).fingerprint);
  const a = buildPlan(plain).estimate;
  const b = buildPlan(on).estimate;
  expect(a.judge).toBeUndefined();
  expect(b.judge!.calls).toBe(110);
  expect(b.calls.total).toBe(a.calls.total + 110);
  expect(b.costUsd! - a.costUsd!).toBeCloseTo(b.judge!.costUsd!, 9);
  expect(planSummaryLines(buildPlan(plain)).some((l) => l.startsWith('Judge'))).toBe(false);
  expect(planSummaryLines(buildPlan(on)).find((l) => l.startsWith('Judge'))).toMatch(/^Judge \(estimate, included above\): 110 calls to gpt-4\.1-mini, [\d,]+ in, [\d,]+ out, \$/);
});
