/**
 * The plan's batch figures (`provider.mode: batch`): both prices (what the sample requests would cost live
 * and at the batch price; topic expansion is live either way), the 24 h window and the number of batches
 * the sample requests need within the provider's limits (lines and bytes, batch_max_lines if smaller).
 */
import type { Config } from '../config.js';
import { costOf, priceFor } from '../prices.js';
import { ANTHROPIC_BATCH_LIMITS, ENVELOPE_BYTES, OPENAI_BATCH_LIMITS } from './chunk.js';

export const BATCH_WINDOW_HOURS = 24;

export interface BatchEstimate {
  /** The whole run at live prices. */
  liveCostUsd: number | null;
  /** Topics live, samples at the batch price: what the run is expected to cost. */
  batchCostUsd: number | null;
  batches: number;
  windowHours: number;
}

export function batchEstimate(
  config: Config,
  sample: { requests: number; input: number; output: number; promptTokens: number },
  topics: { input: number; output: number },
): BatchEstimate {
  const limits = config.provider.name === 'anthropic' ? ANTHROPIC_BATCH_LIMITS : OPENAI_BATCH_LIMITS;
  const maxLines = Math.min(limits.maxLines, config.provider.batch_max_lines ?? Infinity);
  // A line is about its prompt (4 bytes a token) and the schema and envelope around it.
  const lineBytes = sample.promptTokens * 4 + 2048;
  const byLines = Math.ceil(sample.requests / maxLines);
  const byBytes = Math.ceil((sample.requests * lineBytes) / (limits.maxBytes - ENVELOPE_BYTES));
  const live = priceFor(config, 'live');
  const batch = priceFor(config, 'batch');
  const liveTopics = costOf(topics, live);
  const liveSamples = costOf({ input: sample.input, output: sample.output }, live);
  const batchSamples = costOf({ input: sample.input, output: sample.output }, batch);
  return {
    liveCostUsd: liveTopics === null || liveSamples === null ? null : liveTopics + liveSamples,
    batchCostUsd: liveTopics === null || batchSamples === null ? null : liveTopics + batchSamples,
    batches: sample.requests > 0 ? Math.max(1, byLines, byBytes) : 0,
    windowHours: BATCH_WINDOW_HOURS,
  };
}
