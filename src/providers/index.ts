/**
 * Picks the provider a config asks for. Keys come from the environment only and never reach a message;
 * the offline demo provider is used only when the config names it.
 */
import type { Config } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { AnthropicProvider } from './anthropic.js';
import { DemoProvider } from './demo.js';
import { createHttpFetch } from './fetch.js';
import { OpenAIProvider } from './openai.js';
import type { Provider, ProviderFactory } from './types.js';

export { ProviderError } from './types.js';
export type { GenerateRequest, GenerateResult, Provider, RateLimitInfo } from './types.js';

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function createProvider(provider: Config['provider'], env: NodeJS.ProcessEnv = process.env): Provider {
  const { name, model, base_url: baseUrl, timeout_s: timeoutS, concurrency } = provider;
  const timeoutMs = Math.round(timeoutS * 1000);
  // A socket per request in flight, so the agent never queues what the engine's own limit let through.
  const http = () => createHttpFetch({ maxSockets: Math.max(64, concurrency) });
  switch (name) {
    case 'demo':
      return new DemoProvider(); // always labelled as the demo model, whatever provider.model says
    case 'openai':
    case 'openai-compatible': {
      const apiKey = envValue(env, 'OPENAI_API_KEY');
      if (!apiKey && name === 'openai') {
        throw new UsageError('OPENAI_API_KEY is not set: export it, or run with --provider demo');
      }
      const url = baseUrl ?? envValue(env, 'OPENAI_BASE_URL');
      if (!url && name === 'openai-compatible') {
        throw new UsageError(
          'openai-compatible needs a server URL: set provider.base_url (e.g. http://localhost:11434/v1) or OPENAI_BASE_URL',
        );
      }
      return new OpenAIProvider({ name, model, apiKey, baseUrl: url, timeoutMs, fetch: http() });
    }
    case 'anthropic': {
      const apiKey = envValue(env, 'ANTHROPIC_API_KEY');
      if (!apiKey) throw new UsageError('ANTHROPIC_API_KEY is not set: export it, or run with --provider demo');
      const url = baseUrl ?? envValue(env, 'ANTHROPIC_BASE_URL');
      return new AnthropicProvider({ model, apiKey, baseUrl: url, timeoutMs, fetch: http() });
    }
    default: {
      const unknown: never = name;
      throw new UsageError(`unknown provider "${String(unknown)}": use openai, anthropic, openai-compatible or demo`);
    }
  }
}

/** The factory the composition root hands core: providers from the environment `env`. */
export function providerFactory(env: NodeJS.ProcessEnv = process.env): ProviderFactory {
  return (provider) => createProvider(provider, env);
}
