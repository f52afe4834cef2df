/** Batch clients against the loopback server, and requests shaped like the engine's. */
import { watchBatches } from '../../src/core/batch/poll.js';
import type { BatchClient, BatchLine, BatchLineResult, BatchStatus } from '../../src/core/batch/types.js';
import { createBatchClient } from '../../src/providers/batch.js';
import type { BatchLimits } from '../../src/core/batch/types.js';
import type { TestServer } from '../server/index.js';
import { examplesRequest } from '../server/fixtures.js';

export const CANARY = 'sk-batch-canary-QQ77';
export const PROVIDERS = ['openai', 'anthropic'] as const;
export type BatchProvider = (typeof PROVIDERS)[number];

export function client(server: TestServer, provider: BatchProvider, limits?: Partial<BatchLimits>): BatchClient {
  return createBatchClient({
    name: provider,
    model: provider === 'openai' ? 'gpt-4.1-mini' : 'claude-haiku-4-5',
    apiKey: CANARY,
    baseUrl: provider === 'openai' ? server.openaiBaseUrl : server.anthropicBaseUrl,
    timeoutMs: 10_000,
    limits,
  });
}

export function lines(n: number, prefix = 't0-1'): BatchLine[] {
  return Array.from({ length: n }, (_, i) => ({ customId: `${prefix}_r${i}`, request: examplesRequest(1 + (i % 3)) }));
}

export async function untilFinished(c: BatchClient, batchId: string): Promise<BatchStatus> {
  const done = await watchBatches(c, [batchId], { initialMs: 10, maxMs: 50, jitter: 0 });
  return done.get(batchId)!;
}

export async function allResults(c: BatchClient, batchId: string): Promise<BatchLineResult[]> {
  const out: BatchLineResult[] = [];
  for await (const r of c.results(batchId)) out.push(r);
  return out;
}

/** The server's token count for a batch API and the client's sum of the answers' usage. */
export function usageSum(results: readonly BatchLineResult[]): { input: number; output: number } {
  let input = 0;
  let output = 0;
  for (const r of results) {
    if (!r.ok) continue;
    input += r.result.usage.input_tokens;
    output += r.result.usage.output_tokens;
  }
  return { input, output };
}
