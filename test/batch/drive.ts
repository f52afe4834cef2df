/**
 * A minimal batch run over runBatches, as a child process for the kill -9 test: the run's side is a set of
 * slots to answer and answers.jsonl (a slot at most once), as the engine's batch executor would keep
 * samples.jsonl. Answered lines make a slot done; failed lines leave it pending for a later batch.
 *   node --import tsx test/batch/drive.ts PROVIDER BASE_URL SESSION_DIR SLOTS CHUNK_LINES
 */
import { join } from 'node:path';
import { BatchJournal, readSessionJournal } from '../../src/core/batch/journal.js';
import { runBatches } from '../../src/core/batch/runner.js';
import { forEachLine, JsonlAppender } from '../../src/core/files.js';
import { createBatchClient } from '../../src/providers/batch.js';
import { examplesRequest } from '../server/fixtures.js';

const [provider, baseUrl, dir, slotsArg, chunkArg] = process.argv.slice(2) as [string, string, string, string, string];
const slots = Array.from({ length: Number(slotsArg) }, (_, i) => `t0-${i % 3}_r${Math.floor(i / 3)}`);
const client = createBatchClient({
  name: provider as 'openai' | 'anthropic',
  model: provider === 'openai' ? 'gpt-4.1-mini' : 'claude-haiku-4-5',
  apiKey: 'sk-drive',
  baseUrl,
  timeoutMs: 10_000,
});
const t0 = Date.now();
const log = (what: string) => process.stderr.write(`${Date.now() - t0}ms ${what}\n`);

const answersPath = join(dir, 'answers.jsonl');
const done = new Set<string>();
forEachLine(answersPath, ({ line }) => {
  try {
    done.add((JSON.parse(line) as { slot: string }).slot);
  } catch {
    // torn last line: that answer is collected again
  }
});
const answers = new JsonlAppender(answersPath);
const journal = BatchJournal.inSession(dir);
await runBatches(
  { client, journal, state: readSessionJournal(dir), session: 'drive', maxLines: Number(chunkArg), poll: { initialMs: 15, maxMs: 60 }, retry: { baseMs: 50, maxMs: 200 } },
  {
    pending: () => slots.filter((s) => !done.has(s)).map((s) => ({ slots: [s], request: examplesRequest(1) })),
    answer: ({ slots: lineSlots, customId, result }) => {
      for (const slot of lineSlots) {
        if (done.has(slot)) continue;
        done.add(slot);
        answers.append({ slot, custom_id: customId, usage: result.usage });
      }
    },
    failure: () => {
      // the slot stays pending: it goes into a later batch under a new custom_id
    },
    event: (e) => {
      if (e.type !== 'batch_status') log(JSON.stringify(e, (k, v) => (k === 'error' ? String(v) : v)));
    },
  },
);
answers.close();
journal.close();
if (done.size !== slots.length) throw new Error(`ended with ${done.size} of ${slots.length} slots`);
