/** Issue 15 (8): counting tokens is linear, also for long unbroken runs. Timing is compared loosely (n vs 4n). */
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../src/core/tokens.js';

function timed(fn: () => number): { value: number; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

describe('countTokens', () => {
  it('counts ordinary long text exactly as the whole-string encoding does', () => {
    const words = 'The quick brown fox jumps over the lazy dog, then writes a JSON answer: {"a": 1}.\n';
    const text = words.repeat(400);
    expect(countTokens(text)).toBe(encode(text).length);
  });

  it('300 KB of one letter is counted, and 4x the text costs about 4x the time (not 16x)', () => {
    const small = timed(() => countTokens('a'.repeat(75_000)));
    const large = timed(() => countTokens('a'.repeat(300_000)));
    expect(large.value).toBeGreaterThan(0);
    expect(large.value).toBeGreaterThanOrEqual(small.value * 3.9);
    // Quadratic would be ~16x; generous bound for a loaded machine. 300 KB took 49 s before.
    expect(large.ms).toBeLessThan(Math.max(small.ms * 10, 3000));
  });

  it('does not cut a surrogate pair', () => {
    const text = '😀'.repeat(5000);
    expect(countTokens(text)).toBeGreaterThan(0);
  });
});
