import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { CategoryBars } from '../../../src/ui/run/CategoryBars.js';
import { Sparkline, sparkline } from '../../../src/ui/run/Sparkline.js';
import { addToBuckets, categoryRows, countCategories, planTargets } from '../../../src/ui/run/usePictures.js';

describe('throughput sparkline', () => {
  it('scales to the busiest interval and shows only the last `width` values', () => {
    expect(sparkline([0, 1, 2, 4, 8], 10)).toBe('▁▂▃▅█');
    expect(sparkline([0, 0, 0], 10)).toBe('▁▁▁');
    expect(sparkline([1, 2, 3, 4, 5, 6], 3)).toBe('▆▇█');
  });

  it('draws one line with the last interval and the peak', () => {
    const { lastFrame } = render(<Sparkline values={[1, 3, 2]} intervalS={5} width={60} />);
    expect(lastFrame()).toBe('throughput ▃█▆ 2/5s · peak 3');
  });

  it('counts samples into intervals from the run start', () => {
    let b: number[] = [];
    b = addToBuckets(b, 0, 1000);
    b = addToBuckets(b, 0, 4999);
    b = addToBuckets(b, 0, 12_000);
    expect(b).toEqual([2, 0, 1]);
  });
});

describe('category bars', () => {
  it('one bar per category against its target; extra rows fold into "+N more"', () => {
    const rows = [
      { name: 'Refunds', done: 10, target: 10 },
      { name: 'Exchanges', done: 2, target: 8 },
      { name: 'Damaged items', done: 0, target: 4 },
    ];
    let frame = render(<CategoryBars rows={rows} width={60} maxRows={5} />).lastFrame()!;
    const lines = frame.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Refunds\s+█+ 10\/10$/);
    expect(lines[1]).toMatch(/^Exchanges\s+█+░+\s+2\/8$/);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    frame = render(<CategoryBars rows={rows} width={60} maxRows={2} />).lastFrame()!;
    expect(frame.split('\n')).toHaveLength(2);
    expect(frame).toContain('+2 more categories');
    expect(render(<CategoryBars rows={[]} width={60} maxRows={4} />).lastFrame()).toBe('');
  });

  it('reads targets from plan.yaml and counts from samples.jsonl (a torn last line skipped)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synthloom-pictures-'));
    writeFileSync(join(dir, 'plan.yaml'), 'categories:\n  - {name: A, weight: 1, target: 3}\n  - {name: B, weight: 1, target: 2}\n');
    writeFileSync(join(dir, 'samples.jsonl'), `${JSON.stringify({ id: '1', category: 'A' })}\n${JSON.stringify({ id: '2', category: 'C' })}\n{"id":"3","categ`);
    const rows = categoryRows(countCategories(dir), planTargets(dir));
    expect(rows).toEqual([
      { name: 'A', done: 1, target: 3 },
      { name: 'B', done: 0, target: 2 },
      { name: 'C', done: 1, target: null },
    ]);
    expect(planTargets(join(dir, 'missing'))).toBeNull();
  });
});
