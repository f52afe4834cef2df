import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ResumeSummary, resumeSummaryLines } from '../../src/ui/resume/ResumeSummary.js';

describe('ResumeSummary', () => {
  it('puts the cost of what is left first, then slots, failures to retry and changes', () => {
    const lines = resumeSummaryLines({ slotsLeft: 80, failuresToRetry: 3, changes: ['model "a" -> "b"'], costUsd: 0.1, spentUsd: 0.04, budgetUsd: 2 });
    expect(lines[0]).toBe('Cost of what is left  ≈$0.10 · $0.04 spent so far · cap $2.00');
    expect(lines[1]).toBe('Slots left            80 (3 failed slots retried)');
    expect(lines[2]).toBe('Changes               1 since the plan was approved:');
    expect(lines[3]).toBe('  model "a" -> "b"');
  });

  it('says when nothing changed, when the price is unknown, and when the estimate passes the cap', () => {
    const none = resumeSummaryLines({ slotsLeft: 5, failuresToRetry: 0, changes: [], costUsd: null });
    expect(none).toEqual(['Cost of what is left  unknown (no price for this model)', 'Slots left            5', 'Changes               none since the plan was approved']);
    const frame = render(<ResumeSummary slotsLeft={5} failuresToRetry={0} changes={[]} costUsd={3} spentUsd={0} budgetUsd={2} />).lastFrame()!;
    expect(frame).toContain('The estimate is above the cap: the run will pause there.');
  });
});
