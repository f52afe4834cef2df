/**
 * Issue 3 acceptance: a torn or invalid last line of samples.jsonl (a crash in the middle of a write) is
 * moved aside to samples.jsonl.torn on resume and reported, never silently dropped; its slot is filled
 * again. Plus the store's own rules on real files: a sample that lost only its newline is kept, an
 * invalid line that is not the last is refused, and a torn tail of any journal never swallows the next
 * record appended after it.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig, parseConfigText } from '../../src/core/config.js';
import { countLines, JsonlAppender, lastLine } from '../../src/core/files.js';
import { buildPlan, type Plan } from '../../src/core/plan.js';
import { countDone, findTornTail, readFailures, readTopicRecords, scanSamples, SessionStore } from '../../src/core/session/index.js';
import { slotSpecs } from '../../src/core/slots.js';
import type { Sample } from '../../src/core/types.js';
import { jsonLines, rawLines, runToEnd, sessionSuite, writeConfig } from './helpers.js';

const suite = sessionSuite('torn', { seed: 71 });

test('resume moves a torn last line to samples.jsonl.torn, says so, and fills its slot', async () => {
  const env = suite.env();
  const configPath = writeConfig({ name: 'torn', outputDir: suite.dir, size: 12, concurrency: 2, budgetUsd: 0.004 });
  const dir = join(suite.dir, 'torn');
  const first = await runToEnd(['run', configPath, '--yes', '--plain'], env);
  expect(first.code, first.stderr).toBe(3);
  const before = jsonLines<Sample>(join(dir, 'samples.jsonl'));
  expect(before.length).toBeLessThan(12);

  // Half of the line a crash would have cut: a new sample for a slot that is still open.
  const plan = parseYaml(readFileSync(join(dir, 'plan.yaml'), 'utf8')) as Plan;
  const open = slotSpecs(loadConfig(configPath).config, plan.leaves).find((s) => !before.some((b) => b.slot === s.id))!;
  const whole = JSON.stringify({ ...before[0]!, id: 'torn-sample-id', slot: open.id });
  const half = whole.slice(0, Math.floor(whole.length / 2));
  appendFileSync(join(dir, 'samples.jsonl'), half);

  const resumed = await runToEnd(['resume', dir, '--yes', '--plain', '--budget', '5'], env);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toMatch(/samples\.jsonl ended with a torn line \(\d+ bytes.*moved to samples\.jsonl\.torn/);
  expect(readFileSync(join(dir, 'samples.jsonl.torn'), 'utf8')).toBe(`${half}\n`);
  const after = jsonLines<Sample>(join(dir, 'samples.jsonl'));
  expect(after).toHaveLength(12);
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.filter((s) => s.slot === open.id)).toHaveLength(1);
  expect(after.some((s) => s.id === 'torn-sample-id')).toBe(false);

  // The next resume has nothing to report.
  const again = await runToEnd(['resume', dir, '--yes', '--json'], env);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).not.toMatch(/torn/);
  expect(rawLines(join(dir, 'samples.jsonl.torn'))).toEqual([half]);
});

/** A real session directory with `n` samples, made through the store itself. */
function storeWith(name: string, n: number): { dir: string; samples: Sample[] } {
  const config = parseConfigText(`name: ${name}\ntask: support\ndomain: returns\nsize: 10\noutput_dir: ${suite.dir}\ntopics: { depth: 0 }\n`, 'test');
  const plan = buildPlan(config);
  const store = SessionStore.create(join(suite.dir, name), config, plan);
  const samples = slotSpecs(config, plan.leaves)
    .slice(0, n)
    .map((s, i): Sample => ({
      id: `id-${i}`,
      slot: s.id,
      category: s.category,
      topic: s.category,
      messages: [{ role: 'user', content: `question ${i}` }, { role: 'assistant', content: `answer ${i}` }],
      model: 'm',
      usage: { input_tokens: 10, output_tokens: 20 },
      created_at: new Date(0).toISOString(),
    }));
  samples.forEach((s) => store.samples.append(s));
  store.close();
  return { dir: store.dir, samples };
}

test('scanSamples: a torn tail is moved aside once; a whole sample missing its newline is kept; a bad line in the middle is refused', () => {
  const { dir, samples } = storeWith('scan', 4);
  const path = join(dir, 'samples.jsonl');
  appendFileSync(path, '{"id":"half');
  expect(findTornTail(dir)).toMatchObject({ bytes: 11 });
  expect(countDone(dir)).toBe(4);
  const scan = scanSamples(dir, false); // a look without repair changes nothing
  expect(scan).toMatchObject({ tornLines: 1, tokens: { input: 40, output: 80 } });
  expect(scan.doneSlots.size).toBe(4);
  expect(existsSync(join(dir, 'samples.jsonl.torn'))).toBe(false);

  const store = SessionStore.open(dir); // opening for appends ends the torn fragment's line
  expect(readFileSync(path, 'utf8').endsWith('{"id":"half\n')).toBe(true);
  expect(scanSamples(dir, true).tornLines).toBe(1);
  expect(readFileSync(join(dir, 'samples.jsonl.torn'), 'utf8')).toBe('{"id":"half\n');
  expect(jsonLines<Sample>(path)).toEqual(samples);
  expect(findTornTail(dir)).toBeNull();
  expect(scanSamples(dir, true).tornLines).toBe(0);
  store.close();

  // The crash cut only the newline: the sample is whole, so it is kept and given its newline.
  const extra = { ...samples[0]!, id: 'id-x', slot: 't0_r9' };
  appendFileSync(path, JSON.stringify(extra));
  expect(findTornTail(dir)).toBeNull();
  const kept = scanSamples(dir, true);
  expect(kept.tornLines).toBe(0);
  expect(kept.doneSlots.has('t0_r9')).toBe(true);
  expect(jsonLines<Sample>(path)).toHaveLength(5);
  expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);

  // An invalid line followed by valid ones was not made by a crash: refused, naming the line.
  writeFileSync(path, `${JSON.stringify(samples[0])}\nnot json\n${JSON.stringify(samples[1])}\n`);
  expect(() => scanSamples(dir, true)).toThrow(/line 2 is not a valid sample/);
});

test('a torn tail in failures.jsonl or topics.jsonl does not swallow the next record appended', () => {
  const { dir } = storeWith('journals', 1);
  appendFileSync(join(dir, 'failures.jsonl'), '{"slot":"t0_r1","attempt":1,"ki');
  appendFileSync(join(dir, 'topics.jsonl'), '{"id":"t0-1","pa');
  const store = SessionStore.open(dir);
  store.failures.append({ slot: 't0_r2', attempt: 1, kind: 'server', message: 'boom', at: new Date(0).toISOString(), will_retry: true });
  store.topics.append({ id: 't0-2', path: ['x'], children: ['a', 'b'], usage: { input_tokens: 1, output_tokens: 2 }, at: new Date(0).toISOString() });
  store.close();
  expect(readFailures(dir).map((f) => f.slot)).toEqual(['t0_r2']);
  expect([...readTopicRecords(dir).keys()]).toEqual(['t0-2']);
});

test('files: lastLine reads a long last line backwards; countLines counts whole lines only', () => {
  const path = join(suite.dir, 'lines.jsonl');
  const long = 'x'.repeat(200_000);
  writeFileSync(path, `first\n${long}\n`);
  expect(lastLine(path)).toEqual({ line: long, offset: 6, terminated: true });
  expect(countLines(path)).toBe(2);
  appendFileSync(path, 'tail');
  expect(lastLine(path)).toEqual({ line: 'tail', offset: 6 + long.length + 1, terminated: false });
  expect(countLines(path)).toBe(2);
  writeFileSync(path, '');
  expect(lastLine(path)).toBeNull();
  expect(countLines(join(suite.dir, 'missing.jsonl'))).toBe(0);

  const appender = new JsonlAppender(path);
  appender.append({ a: 'é'.repeat(3000) });
  appender.close();
  expect(jsonLines<{ a: string }>(path)).toEqual([{ a: 'é'.repeat(3000) }]);
});
