/**
 * The run's batch executor (`provider.mode: batch`), made by createRun from the batch client the
 * composition root injects: the session's journal, the batch price, the config's chunk size and poll
 * interval, and a `batch` event with the dashboard's figures whenever they change.
 */
import type { Config } from '../config.js';
import type { EventBus } from '../events.js';
import { priceFor } from '../prices.js';
import { BatchExecutor } from './executor.js';
import { BatchJournal, readSessionJournal } from './journal.js';
import type { BatchClient } from './types.js';

export type BatchClientFactory = (provider: Config['provider']) => BatchClient;

export interface RunBatchExecutor {
  executor: BatchExecutor;
  close(): void;
}

export function runBatchExecutor(config: Config, dir: string, client: BatchClient, events: EventBus): RunBatchExecutor {
  const journal = BatchJournal.inSession(dir);
  const state = readSessionJournal(dir);
  if (state.droppedLines > 0) events.emit({ type: 'warning', message: `batches.jsonl: ${state.droppedLines} unreadable line(s) dropped (a torn write)` });
  const executor = new BatchExecutor({
    client,
    journal,
    state,
    session: config.name,
    price: priceFor(config, 'batch'),
    maxLines: config.provider.batch_max_lines ?? undefined,
    pollMs: Math.round(config.provider.batch_poll_s * 1000),
    lingerMs: Math.min(200, Math.round(config.provider.batch_poll_s * 1000)),
    onProgress: (p) => events.emit({ type: 'batch', provider: client.provider, ...p }),
  });
  return {
    executor,
    close: () => {
      executor.close();
      journal.close();
    },
  };
}
