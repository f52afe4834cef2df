/**
 * A minimal batch run over the core pieces, as a child process for the kill -9 test: rediscover, submit
 * what is neither answered nor in flight, poll, collect into answers.jsonl (a slot at most once), repeat
 * until every slot is answered. It stands in for the engine's batch executor, which does the same
 * through the run's stages.
 *   node --import tsx test/batch/drive.ts PROVIDER BASE_URL SESSION_DIR SLOTS CHUNK_LINES
 */
import { join } from 'node:path';
import { sleep } from '../../src/core/backoff.js';
import { collectBatch } from '../../src/core/batch/collect.js';
import { applyRecord, BatchJournal, openBatches, readSessionJournal } from '../../src/core/batch/journal.js';
import { rediscover } from '../../src/core/batch/rediscover.js';
import { submitPending, type PendingRequest } from '../../src/core/batch/submit.js';
import { isFinished } from '../../src/core/batch/types.js';
import { forEachLine, JsonlAppender } from '../../src/core/files.js';
import { createBatchClient } from '../../src/providers/batch.js';
import { examplesRequest } from '../server/fixtures.js';

const [provider, baseUrl, dir, slotsArg, chunkArg] = process.argv.slice(2) as [string, string, string, string, string];
const session = 'drive';
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
const state = readSessionJournal(dir);
const journal = BatchJournal.inSession(dir);
log('start');
log(`rediscovered ${JSON.stringify(await rediscover(state, journal, client, session))}`);

while (done.size < slots.length) {
  const pending: PendingRequest[] = slots.filter((s) => !done.has(s)).map((s) => ({ slots: [s], request: examplesRequest(1) }));
  const sent = await submitPending(pending, { client, journal, state, session, maxLines: Number(chunkArg) });
  if (sent.submitted.length > 0) log(`submitted ${sent.submitted.length}`);
  for (const chunk of openBatches(state)) {
    const status = await client.poll(chunk.batchId!);
    if (!isFinished(status.state)) {
      if (chunk.state !== status.state || chunk.counts?.succeeded !== status.counts.succeeded) applyRecord(state, journal.polled(status));
      continue;
    }
    if (!chunk.ended) applyRecord(state, journal.ended(status));
    await collectBatch(client, journal, state, chunk, status, ({ line, slots: lineSlots }) => {
      if (!line.ok) return; // failed, expired, canceled: the slot is not done, so it goes into a later batch
      for (const slot of lineSlots) {
        if (done.has(slot)) continue;
        done.add(slot);
        answers.append({ slot, custom_id: line.customId, usage: line.result.usage });
      }
    });
  }
  await sleep(15);
}
answers.close();
journal.close();
