/**
 * The judge's provider and executor for a run. Without `quality.judge.provider` the judge shares the run's
 * executor (same provider, pool and limiter); with one, the composition root's factory makes that provider
 * (asked before anything is written, so a missing key is refused early) and it gets its own executor and
 * limiter (another provider has its own limits), priced at the judge model's price.
 */
import type { Config } from './config.js';
import { LiveExecutor, type Executor } from './executor.js';
import { RateLimiter } from './limiter.js';
import { priceFor } from './prices.js';
import type { Provider, ProviderFactory } from './provider.js';

/** The provider section the judge runs on, or null when it shares the run's provider (or is off). */
export function judgeProviderSection(config: Config): Config['provider'] | null {
  const judge = config.quality.judge;
  if (!judge.enabled || !judge.provider) return null;
  return { ...config.provider, name: judge.provider.name, model: judge.provider.model, base_url: judge.provider.base_url ?? null };
}

export function makeJudgeProvider(config: Config, providers: ProviderFactory): Provider | null {
  const section = judgeProviderSection(config);
  return section ? providers(section) : null;
}

export function judgeExecutorFor(config: Config, provider: Provider | null, runExecutor: Executor): Executor {
  const section = judgeProviderSection(config);
  if (!provider || !section) return runExecutor;
  const limiter = new RateLimiter({ rpm: section.rpm, tpm: section.tpm });
  return new LiveExecutor(provider, limiter, section.concurrency, priceFor({ ...config, provider: section }, 'live'));
}
