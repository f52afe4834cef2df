/**
 * The batch mode's own work at full chunk size, outside `npm run bench` (it needs no build): building and
 * chunking the lines of a 100,000-request run for each provider, the custom_id round trip, and writing and
 * reading back the journal of those chunks. Prints figures; never fails.
 *   node --import tsx bench/batch.ts [--requests N]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chunkLines } from '../src/core/batch/chunk.js';
import { decodeCustomId, encodeCustomId } from '../src/core/batch/custom-id.js';
import { BatchJournal, readJournal } from '../src/core/batch/journal.js';
import type { BatchClient, BatchLine } from '../src/core/batch/types.js';
import { createBatchClient } from '../src/providers/batch.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' } } });
const n = Number(values.requests);
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

const request = (i: number): BatchLine['request'] => ({
  system: 'You write training examples for a support assistant. Answer in JSON. '.repeat(20),
  messages: [{ role: 'user', content: `Topic: Billing > Refunds ${i}. Audience: expert. Return exactly 1 examples. ${'context '.repeat(120)}` }],
  schema: { type: 'object', additionalProperties: false, required: ['examples'], properties: { examples: { type: 'array', items: { type: 'object' } } } },
  schemaName: 'examples',
  maxOutputTokens: 1200,
});

let t = process.hrtime.bigint();
const slots = Array.from({ length: n }, (_, i) => [`t0-${i % 7}-${i % 5}_r${Math.floor(i / 35)}`]);
const ids = slots.map((s) => encodeCustomId(s, 1 + (s[0]!.length % 3)));
const roundTrip = ids.every((id, i) => decodeCustomId(id)?.slotIds[0] === slots[i]![0]);
console.log(`custom_id: ${n} encoded and decoded in ${ms(t).toFixed(0)} ms, round trip ${roundTrip ? 'exact' : 'BROKEN'}, longest ${Math.max(...ids.map((i) => i.length))} chars`);

for (const provider of ['openai', 'anthropic'] as const) {
  const client: BatchClient = createBatchClient({ name: provider, model: 'm', apiKey: 'k', baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 1000 });
  const lines = ids.map((customId, i) => ({ customId, request: request(i) }));
  t = process.hrtime.bigint();
  const { chunks } = chunkLines(lines, client.limits, (l) => client.lineBytes(l));
  const chunkMs = ms(t);
  const bytes = lines.reduce((sum, l) => sum + client.lineBytes(l), 0);
  console.log(
    `${provider}: ${n} lines (${(bytes / 1e6).toFixed(0)} MB) -> ${chunks.length} batches of ${chunks.map((c) => c.length).join(', ')} lines, ` +
      `sized and chunked in ${chunkMs.toFixed(0)} ms`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'synthloom-bench-batch-'));
try {
  const path = join(dir, 'batches.jsonl');
  const journal = new BatchJournal(path);
  t = process.hrtime.bigint();
  const per = 50_000;
  for (let c = 0; c * per < n; c++) {
    const name = `c${String(c + 1).padStart(4, '0')}`;
    journal.submitting(name, 'openai', 'm', ids.slice(c * per, (c + 1) * per).map((custom_id, i) => ({ custom_id, slots: slots[c * per + i]! })));
    journal.submitted(name, `batch_${c}`);
  }
  journal.close();
  const writeMs = ms(t);
  t = process.hrtime.bigint();
  const state = readJournal(path);
  console.log(
    `journal: ${state.chunks.length} chunks, ${state.usedCustomIds.size} custom_ids, ${(statSync(path).size / 1e6).toFixed(1)} MB, ` +
      `written (fsynced) in ${writeMs.toFixed(0)} ms, read back in ${ms(t).toFixed(0)} ms`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
