/**
 * Issue 15 (11): the counts a session shows agree with what was really done and with what the export
 * takes: topic_requests equals the topic requests made; a samples line of the wrong shape is not done;
 * a duplicate-slot line never makes 201 for 200.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { forEachSample } from '../../src/core/export/session.js';
import { countDone, scanSamples } from '../../src/core/session/files.js';
import { scene, ScriptedProvider, serverError, type Scene } from '../core/scripted.js';

let s: Scene;
beforeEach(() => {
  s = scene();
});
afterEach(() => s.cleanup());

function records(path: string): unknown[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

test('topic_requests equals the topic requests answered (a 500 is not billed) and covers every topics.jsonl record', async () => {
  let failTopics = 2;
  const provider = new ScriptedProvider((r) => (r.facts?.stage === 'topics' && failTopics-- > 0 ? serverError() : undefined));
  const { handle } = s.run(s.config({ size: 8, topics: { depth: 2, degree: 2 } as never }), provider);
  await handle.start();
  const stats = s.stats('scripted');
  const journal = records(join(s.root, 'scripted', 'topics.jsonl'));
  expect(stats.topic_requests).toBe(provider.count('topics') - 2);
  expect(journal.length).toBeGreaterThan(0);
  expect(journal.length).toBeLessThanOrEqual(stats.topic_requests);
});

test('a samples line of the wrong shape is not done (as the export skips it); a duplicate-slot line is one slot', async () => {
  const { handle } = s.run(s.config({ size: 4, topics: { depth: 0 } }), new ScriptedProvider());
  expect((await handle.start()).done).toBe(4);
  const dir = join(s.root, 'scripted');
  const path = join(dir, 'samples.jsonl');
  const [first] = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; slot: string; messages: unknown[] });
  // A second sample for a slot that has one, and a whole JSON line that is not a sample (no assistant turn).
  appendFileSync(path, `${JSON.stringify({ ...first, id: `${first!.id}-twin` })}\n`);
  appendFileSync(path, `${JSON.stringify({ id: 'odd', slot: 'odd_r0', category: 'x', messages: [{ role: 'user', content: 'only a question' }] })}\n`);
  let exported = 0;
  forEachSample(dir, () => exported++);
  expect(exported).toBe(4);
  expect(countDone(dir)).toBe(4);
  const scan = scanSamples(dir, false);
  expect(scan.doneSlots.size).toBe(4);
  expect(scan.doneSlots.has('odd_r0')).toBe(false);
  expect(scan.wrongShape).toBe(1);
});
