/**
 * The provider question: looks for OPENAI_API_KEY, ANTHROPIC_API_KEY and a local Ollama, lists what it found
 * first, and offers demo (offline) when nothing is found. A generic OpenAI-compatible server asks for its URL.
 */
import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { DetectedProviders } from '../../core/provider.js';
import { Select } from '../components/Select.js';
import { TextField } from '../components/TextField.js';
import { Wait } from '../components/Wait.js';
import { useServices } from '../context.js';
import { matches } from '../keys.js';
import { theme } from '../theme.js';
import {
  applyProviderChoice,
  initialChoice,
  nothingFound,
  providerChoices,
  type ProviderChoice,
  type ProviderChoiceId,
} from './providerChoices.js';
import type { CustomStep } from './steps.js';
import type { QuestionProps } from './TextQuestion.js';

function checkUrl(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'the URL must start with http:// or https://';
  } catch {
    return 'type the server URL, such as http://localhost:8000/v1';
  }
}

export function ProviderQuestion({ draft, ctx, onAnswer, onBack }: QuestionProps<CustomStep>) {
  const services = useServices();
  const [found, setFound] = useState<DetectedProviders | null>(null);
  const [urlFor, setUrlFor] = useState<ProviderChoice | null>(null);
  const [url, setUrl] = useState(draft.provider.base_url ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void services.detectProviders(services.env, { ollamaUrl: services.ollamaUrl, timeoutMs: 500 }).then((result) => {
      if (live) setFound(result);
    });
    return () => {
      live = false;
    };
  }, [services]);
  useInput((input, key) => {
    if (!matches('back', input, key)) return;
    if (urlFor) setUrlFor(null);
    else onBack();
  });
  if (!found) return <Wait label="Looking for API keys and a local Ollama..." />;
  const choices = providerChoices(found);
  if (urlFor) {
    return (
      <Box flexDirection="column">
        <Text>Server URL (the OpenAI-compatible /v1 endpoint):</Text>
        <TextField
          value={url}
          placeholder="http://localhost:8000/v1"
          error={error}
          onChange={(next) => {
            setUrl(next);
            setError(null);
          }}
          onSubmit={(raw) => {
            const problem = checkUrl(raw);
            if (problem) setError(problem);
            else onAnswer(applyProviderChoice(draft, urlFor, raw.trim()));
          }}
        />
      </Box>
    );
  }
  const pick = (id: ProviderChoiceId): void => {
    const choice = choices.find((c) => c.id === id);
    if (!choice) return;
    if (choice.id === 'compatible') setUrlFor(choice);
    else onAnswer(applyProviderChoice(draft, choice));
  };
  return (
    <Box flexDirection="column">
      {nothingFound(found) ? (
        <Text color={theme.status.warn} wrap="wrap">
          No API key and no local Ollama found. Pick demo to try synthloom offline, or export a key and come back.
        </Text>
      ) : null}
      <Select
        items={choices.map((c) => ({ label: c.label, value: c.id }))}
        initialValue={initialChoice(choices, draft, ctx.answered.has('provider'))}
        onSelect={pick}
      />
    </Box>
  );
}
