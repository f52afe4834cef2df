import { describe, expect, it } from 'vitest';
import { chunkLines, ENVELOPE_BYTES } from '../../src/core/batch/chunk.js';
import { CUSTOM_ID_PATTERN, decodeCustomId, encodeCustomId } from '../../src/core/batch/custom-id.js';
import { PollScheduler } from '../../src/core/batch/poll.js';
import type { BatchLine, BatchStatus } from '../../src/core/batch/types.js';
import { slotId } from '../../src/core/slots.js';
import { examplesRequest } from '../server/fixtures.js';

describe('custom_id encoding', () => {
  it('round-trips slot ids of real shape, within ^[a-zA-Z0-9_-]{1,64}$', () => {
    const cases: string[][] = [
      [slotId('t0', 0)],
      [slotId('t0-3', 4), slotId('t0-3', 5), slotId('t0-7', 0)],
      [slotId('t0-12-3-7', 120), slotId('t0-12-3-7', 121), slotId('t0-12-3-7', 9)],
      Array.from({ length: 5 }, (_, i) => slotId('t0-1-2', 1000 + i)),
    ];
    for (const slots of cases) {
      for (const submission of [1, 2, 17]) {
        const id = encodeCustomId(slots, submission);
        expect(id).toMatch(CUSTOM_ID_PATTERN);
        expect(decodeCustomId(id)).toEqual({ slotIds: slots, submission });
      }
    }
    expect(encodeCustomId([slotId('t0-3', 4), slotId('t0-3', 5), slotId('t0-7', 0)])).toBe('t0-3_r4_5__t0-7_r0');
  });

  it('gives a resubmission a different id, so no custom_id is in two batches', () => {
    const slots = [slotId('t0-2', 3)];
    const ids = new Set([1, 2, 3, 4].map((n) => encodeCustomId(slots, n)));
    expect(ids.size).toBe(4);
  });

  it('hashes ids that do not fit (too long, foreign shape), still valid and distinct', () => {
    const many = Array.from({ length: 20 }, (_, i) => slotId(`t0-${i * 7}-${i}`, i * 13));
    const odd = ['topic:with#chars_r1'];
    for (const slots of [many, odd]) {
      const id = encodeCustomId(slots, 3);
      expect(id).toMatch(CUSTOM_ID_PATTERN);
      expect(id.startsWith('z')).toBe(true);
      expect(decodeCustomId(id)).toBeNull();
    }
    expect(encodeCustomId(many, 1)).not.toBe(encodeCustomId(many.slice(1), 1));
    expect(encodeCustomId(many, 1)).not.toBe(encodeCustomId(many, 2));
  });

  it('does not decode what it would not encode', () => {
    for (const bad of ['', 'x2', 'a'.repeat(65), 't0_r01', 't0_r1__x1', 'hello world', 't0-3_rX']) expect(decodeCustomId(bad)).toBeNull();
  });
});

describe('chunking within the provider limits', () => {
  const line = (i: number, size = 1): BatchLine => ({ customId: `c${i}`, request: { ...examplesRequest(1), system: 'x'.repeat(size) } });
  const bytes = (l: BatchLine) => l.request.system.length;

  it('closes a chunk at the line limit', () => {
    const { chunks } = chunkLines(Array.from({ length: 25 }, (_, i) => line(i)), { maxLines: 10, maxBytes: 1e9 }, bytes);
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks.flat().map((l) => l.customId)).toEqual(Array.from({ length: 25 }, (_, i) => `c${i}`));
  });

  it('closes a chunk before the byte limit (less the envelope) and sets aside a line too large for any batch', () => {
    const maxBytes = ENVELOPE_BYTES + 1000;
    const lines = [line(0, 400), line(1, 400), line(2, 400), line(3, 5000), line(4, 1000), line(5, 1)];
    const { chunks, oversized } = chunkLines(lines, { maxLines: 100, maxBytes }, bytes);
    expect(chunks.map((c) => c.map((l) => l.customId))).toEqual([['c0', 'c1'], ['c2'], ['c4'], ['c5']]);
    expect(oversized.map((l) => l.customId)).toEqual(['c3']);
    for (const c of chunks) expect(c.reduce((n, l) => n + bytes(l), 0)).toBeLessThanOrEqual(maxBytes - ENVELOPE_BYTES);
  });

  it('takes a smaller line cap than the provider limit', () => {
    const { chunks } = chunkLines(Array.from({ length: 7 }, (_, i) => line(i)), { maxLines: 50_000, maxBytes: 1e9 }, bytes, { maxLines: 3 });
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 1]);
  });
});

describe('poll scheduler', () => {
  const status = (batchId: string, succeeded: number): BatchStatus => ({
    batchId,
    state: 'in_progress',
    providerStatus: 'in_progress',
    counts: { total: 10, succeeded, errored: 0, expired: 0, canceled: 0 },
    createdAt: 0,
  });

  it('backs off while nothing changes, up to the cap, and comes back soon after a change', () => {
    const s = new PollScheduler({ initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 });
    s.add('b1', 0);
    expect(s.due(0)).toEqual(['b1']);
    const gaps: number[] = [];
    let t = 0;
    for (let i = 0; i < 6; i++) {
      s.observed(status('b1', 0), t);
      const wait = s.waitMs(t)!;
      gaps.push(wait);
      t += wait;
    }
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    s.observed(status('b1', 3), t);
    expect(s.waitMs(t)).toBe(1000);
    s.failed('b1', t);
    expect(s.waitMs(t)).toBe(2000);
    s.remove('b1');
    expect(s.waitMs(t)).toBeNull();
  });

  it('orders due batches by due time and jitters within its share', () => {
    const s = new PollScheduler({ initialMs: 1000, jitter: 0.1, random: () => 0.99 });
    s.add('late', 0, 500);
    s.add('early', 0, 100);
    expect(s.due(1000)).toEqual(['early', 'late']);
    s.observed(status('early', 1), 1000);
    expect(s.waitMs(1000)).toBeLessThanOrEqual(0); // 'late' is still due
    s.observed(status('late', 1), 1000);
    const wait = s.waitMs(1000)!;
    expect(wait).toBeGreaterThan(1000);
    expect(wait).toBeLessThanOrEqual(1100);
  });
});
