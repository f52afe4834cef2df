/**
 * The provider question: what the environment offers (keys, a local Ollama), in the order a user would pick,
 * with `demo` always last and always available (never picked silently when a key exists).
 */
import { defaultModelFor, type Config, type ProviderName } from '../../core/config.js';
import type { DetectedProviders } from '../../core/provider.js';

export type ProviderChoiceId = 'openai' | 'anthropic' | 'ollama' | 'compatible' | 'demo';

export interface ProviderChoice {
  id: ProviderChoiceId;
  label: string;
  name: ProviderName;
  baseUrl: string | null;
  /** The model this provider starts with in the next question. */
  model: string;
  /** False when its key or server was not found: it can still be chosen, with a warning. */
  ready: boolean;
}

export function providerChoices(found: DetectedProviders): ProviderChoice[] {
  const choices: ProviderChoice[] = [
    {
      id: 'openai',
      label: found.openai ? 'openai (OPENAI_API_KEY found)' : 'openai (no OPENAI_API_KEY in the environment)',
      name: 'openai',
      baseUrl: null,
      model: defaultModelFor('openai'),
      ready: found.openai,
    },
    {
      id: 'anthropic',
      label: found.anthropic ? 'anthropic (ANTHROPIC_API_KEY found)' : 'anthropic (no ANTHROPIC_API_KEY in the environment)',
      name: 'anthropic',
      baseUrl: null,
      model: defaultModelFor('anthropic'),
      ready: found.anthropic,
    },
  ];
  if (found.ollama.available) {
    const count = found.ollama.models.length;
    choices.push({
      id: 'ollama',
      label: `ollama at ${found.ollama.url} (${count} model${count === 1 ? '' : 's'})`,
      name: 'openai-compatible',
      baseUrl: found.ollama.url,
      model: found.ollama.models[0] ?? defaultModelFor('openai-compatible'),
      ready: true,
    });
  }
  choices.push(
    {
      id: 'compatible',
      label: 'another OpenAI-compatible server (vLLM, OpenRouter, ...): type its URL',
      name: 'openai-compatible',
      baseUrl: null,
      model: defaultModelFor('openai-compatible'),
      ready: true,
    },
    {
      id: 'demo',
      label: 'demo (offline, clearly labelled template examples, no key needed)',
      name: 'demo',
      baseUrl: null,
      model: defaultModelFor('demo'),
      ready: true,
    },
  );
  // Ready choices first, in the order above; demo stays last.
  const ready = choices.filter((c) => c.ready && c.id !== 'demo' && c.id !== 'compatible');
  const rest = choices.filter((c) => !ready.includes(c));
  return [...ready, ...rest];
}

export function nothingFound(found: DetectedProviders): boolean {
  return !found.openai && !found.anthropic && !found.ollama.available;
}

/** Which choice the config already names, or, when the user has not chosen yet, the first usable one. */
export function initialChoice(
  choices: readonly ProviderChoice[],
  draft: Config,
  chosenBefore: boolean,
): ProviderChoiceId {
  if (chosenBefore) {
    const { name, base_url: url } = draft.provider;
    if (name === 'openai-compatible') {
      return choices.some((c) => c.id === 'ollama' && c.baseUrl === url) ? 'ollama' : 'compatible';
    }
    // A preset (or an earlier answer) naming a provider whose key is not in the environment: offer what is
    // usable instead of highlighting a choice that cannot run. It stays in the list, to pick on purpose.
    if (choices.find((c) => c.id === name)?.ready !== false) return name;
  }
  return choices.find((c) => c.ready && c.id !== 'compatible')?.id ?? 'demo';
}

/** The config after picking `choice`; the model resets to the provider's default when the provider changed. */
export function applyProviderChoice(draft: Config, choice: ProviderChoice, baseUrl?: string): Config {
  const url = baseUrl ?? choice.baseUrl;
  const same = draft.provider.name === choice.name && draft.provider.base_url === url;
  return {
    ...draft,
    provider: { ...draft.provider, name: choice.name, base_url: url, model: same ? draft.provider.model : choice.model },
  };
}
