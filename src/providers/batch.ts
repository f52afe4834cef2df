/**
 * The batch client for a configured provider (`provider.mode: batch`). Only OpenAI and Anthropic have a
 * batch API; demo and openai-compatible are refused with one line naming provider.mode (exit 2).
 */
import type { BatchClient, BatchLimits } from '../core/batch/types.js';
import { UsageError } from '../core/errors.js';
import { AnthropicBatchClient } from './anthropic-batch.js';
import { OpenAIBatchClient } from './openai-batch.js';
import type { ProviderOptions } from './types.js';

export interface BatchClientOptions extends ProviderOptions {
  limits?: Partial<BatchLimits>;
}

/** Throws the exit-2 refusal when `name` has no batch API. */
export function assertBatchCapable(name: string): asserts name is 'openai' | 'anthropic' {
  if (name !== 'openai' && name !== 'anthropic') {
    throw new UsageError(`provider.mode: batch needs provider openai or anthropic (their batch APIs); ${name} has none: use provider.mode: live`);
  }
}

export function createBatchClient(options: BatchClientOptions): BatchClient {
  assertBatchCapable(options.name);
  const { name: _name, ...rest } = options;
  return options.name === 'openai' ? new OpenAIBatchClient(rest) : new AnthropicBatchClient(rest);
}
