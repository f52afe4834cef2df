/** Preview 20 -> scale to 100 in-process with the demo provider: the first 20 samples stay, 80 are added. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config.js';
import { readPlanFile } from '../../src/core/session/index.js';
import { slotSpecs } from '../../src/core/slots.js';
import { monotoneLeaves, scaleSession } from '../../src/core/scale.js';
import { openRun } from '../../src/index.js';

const lines = (p: string) => readFileSync(p, 'utf8').trim().split('\n');

describe('scaleSession', () => {
  it('keeps every leaf at least at its old target and sums to the new size', () => {
    const leaf = (topicId: string, target: number) => ({ topicId, category: topicId, path: [topicId], target });
    const out = monotoneLeaves([leaf('a', 7), leaf('b', 3)], [leaf('a', 5), leaf('b', 7)], 12);
    expect(out.map((l) => l.target)).toEqual([7, 5]);
  });

  it('preview 20 -> 100: the 20 samples stay first, their slots valid in the new plan, 80 more made', async () => {
    const root = mkdtempSync(join(tmpdir(), 'synthloom-scale-'));
    const config = validateConfig({ name: 'pv', task: 't', domain: 'returns', size: 20, output_dir: root, provider: { name: 'demo' }, topics: { categories: [{ name: 'A' }, { name: 'B', weight: 2 }], depth: 0 } });
    const first = openRun({ config, env: {} });
    const r1 = await first.start();
    expect(r1.exitCode).toBe(0);
    const dir = join(root, 'pv');
    const preview = lines(join(dir, 'samples.jsonl'));
    expect(preview).toHaveLength(20);
    const plan = scaleSession(dir, 100);
    const slots = new Set(slotSpecs(plan.config, plan.leaves).map((s) => s.id));
    expect(slots.size).toBe(100);
    for (const l of preview) expect(slots.has(JSON.parse(l).slot ?? JSON.parse(l).slot_id)).toBe(true);
    expect(readPlanFile(dir).config.size).toBe(100);
    const second = openRun({ dir, resume: true, env: {} });
    const r2 = await second.start();
    expect(r2.exitCode).toBe(0);
    const all = lines(join(dir, 'samples.jsonl'));
    expect(all).toHaveLength(100);
    expect(all.slice(0, 20)).toEqual(preview);
  }, 60_000);
});
