/**
 * The batch client for a configured provider (`provider.mode: batch`). Only OpenAI and Anthropic have a
 * batch API; demo and openai-compatible are refused with one line naming provider.mode (exit 2).
 */
import type { BatchClient, BatchLimits } from '../core/batch/types.js';
import type { Config } from '../core/config.js';
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

/**
 * The factory the composition root hands core for `provider.mode: batch`: batch clients from the config's
 * provider section, keys from `env` only (as createProvider takes them; never written anywhere).
 */
export function batchClientFactory(env: NodeJS.ProcessEnv = process.env): (provider: Config['provider']) => BatchClient {
  return (provider) => {
    assertBatchCapable(provider.name);
    const keyName = provider.name === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
    const apiKey = env[keyName]?.trim();
    if (!apiKey) throw new UsageError(`${keyName} is not set: export it, or run with --provider demo`);
    const baseUrl = provider.base_url ?? (env[provider.name === 'openai' ? 'OPENAI_BASE_URL' : 'ANTHROPIC_BASE_URL']?.trim() || undefined);
    return createBatchClient({ name: provider.name, model: provider.model, apiKey, baseUrl, timeoutMs: Math.round(provider.timeout_s * 1000) });
  };
}
