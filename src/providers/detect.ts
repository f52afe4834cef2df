/**
 * What the wizard can offer without asking: which keys are in the environment and whether an Ollama
 * server answers on localhost. Never throws, never prints a key.
 */
import type { DetectedProviders } from '../core/provider.js';

export type { DetectedProviders } from '../core/provider.js';

export async function detectProviders(
  env: NodeJS.ProcessEnv = process.env,
  opts: { ollamaUrl?: string; timeoutMs?: number } = {},
): Promise<DetectedProviders> {
  const base = (opts.ollamaUrl ?? 'http://localhost:11434').replace(/\/+$/, '');
  return {
    openai: Boolean(env.OPENAI_API_KEY?.trim()),
    anthropic: Boolean(env.ANTHROPIC_API_KEY?.trim()),
    ollama: { url: `${base}/v1`, ...(await ollamaModels(base, opts.timeoutMs ?? 300)) },
  };
}

async function ollamaModels(base: string, timeoutMs: number): Promise<{ available: boolean; models: string[] }> {
  try {
    const response = await fetch(`${base}/api/tags`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { available: false, models: [] };
    const body = (await response.json()) as { models?: Array<{ name?: unknown; model?: unknown }> };
    const models = (body.models ?? [])
      .map((m) => (typeof m.name === 'string' ? m.name : typeof m.model === 'string' ? m.model : ''))
      .filter((m) => m !== '');
    return { available: true, models };
  } catch {
    return { available: false, models: [] };
  }
}
