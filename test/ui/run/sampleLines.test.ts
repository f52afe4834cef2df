import { describe, expect, it } from 'vitest';
import { sampleHeading, sampleLines } from '../../../src/ui/run/sampleLines.js';
import { sample } from './fakeRun.js';

describe('sample lines', () => {
  it('labels each turn with its role and keeps every turn visible when one is long', () => {
    const s = sample(1, Array.from({ length: 50 }, (_, i) => `paragraph ${i}`).join('\n'));
    const lines = sampleLines(s, 60, 6);
    expect(lines).toHaveLength(6);
    expect(lines.map((l) => l.role)).toEqual(['system', 'user', 'assistant', 'assistant', 'assistant', 'assistant']);
    expect(lines[1]!.text).toBe('user:      question number 1');
    expect(lines[5]!.text.endsWith('…')).toBe(true);
  });

  it('wraps to the width and strips escape sequences and control characters', () => {
    const s = sample(2, `${'word '.repeat(40)}\u001b[31mred\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007 \u0000nul`);
    const lines = sampleLines(s, 40, 20);
    for (const l of lines) {
      expect(l.text.length).toBeLessThanOrEqual(40);
      expect(l.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
    expect(lines.map((l) => l.text).join(' ').replace(/\s+/g, ' ')).toContain('word red link nul');
  });

  it('a 1 MB answer costs no more than what fits', () => {
    const s = sample(3, 'x'.repeat(1_000_000));
    const lines = sampleLines(s, 80, 5);
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)!.text.endsWith('…')).toBe(true);
  });

  it('says how many turns did not fit when there are more turns than lines', () => {
    const s = sample(4);
    s.messages.push({ role: 'user', content: 'again' }, { role: 'assistant', content: 'sure' });
    const lines = sampleLines(s, 80, 3);
    expect(lines.map((l) => l.text.trim())).toEqual(['system:    You are a support agent.', 'user:      question number 4', '… 3 more turns']);
  });

  it('heads a sample with its category and topic, sanitised', () => {
    expect(sampleHeading({ ...sample(5), category: 'billing', topic: 'refunds\u001b[2J late' })).toBe('billing › refunds late');
    expect(sampleHeading({ ...sample(5), category: 'billing', topic: 'billing / refunds' })).toBe('billing / refunds');
  });
});
