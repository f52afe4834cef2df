import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { act } from 'react';
import { afterAll, expect, test } from 'vitest';
import { qualityReport } from '../../../src/core/quality/report/index.js';
import { QualityPanel, QualityView, qualityLines } from '../../../src/ui/quality/QualityView.js';
import { KEY } from '../../keys.js';
import { qualityFixture } from '../../quality/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'synthloom-quality-ui-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'data.jsonl');
// A category name (model output) carrying an OSC 52 clipboard write: it must not reach the terminal.
writeFileSync(file, qualityFixture().text.replace(/^\{/gm, '{"category":"ret\\u001b]52;c;cHduZWQ=\\u0007urns",'));
const report = qualityReport(file);

test('the view shows the plain report lines, thresholds first, in the height it is given', () => {
  const { lastFrame, unmount } = render(<QualityView report={report} height={12} />);
  const frame = lastFrame() ?? '';
  expect(frame).toContain('FAIL  duplicate_ratio');
  expect(frame).toContain('pass  unique_instruction_ratio');
  expect(frame.split('\n')).toHaveLength(12);
  expect(frame).toMatch(/lines 1-11 of \d+ · ↑↓ pgup\/pgdn to scroll/);
  expect(qualityLines(report).some((l) => l.includes('outliers │'))).toBe(true);
  unmount();
});

test('the panel scrolls to the length histogram and closes on esc', async () => {
  let closed = 0;
  const { lastFrame, stdin, unmount } = render(<QualityPanel report={report} height={10} onClose={() => closed++} />);
  for (let i = 0; i < 4; i++) await act(async () => void stdin.write(KEY.pageDown));
  expect(lastFrame()).toMatch(/│█/);
  expect(lastFrame()).not.toContain('\u001b]52');
  expect(qualityLines(report).join('\n')).toContain('ret');
  await act(async () => void stdin.write(KEY.esc));
  expect(closed).toBe(1);
  unmount();
});
