/** A typed answer: empty + Enter keeps the default, a bad value is explained under the field. */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { Config } from '../../core/config.js';
import { TextField } from '../components/TextField.js';
import { matches } from '../keys.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import type { StepContext, TextStep } from './steps.js';

export interface QuestionProps<S> {
  step: S;
  draft: Config;
  ctx: StepContext;
  onAnswer: (draft: Config) => void;
  onBack: () => void;
}

export function TextQuestion({ step, draft, ctx, onAnswer, onBack }: QuestionProps<TextStep>) {
  const current = step.value(draft, ctx);
  const prefill = step.emptyIsAnswer || ctx.answered.has(step.id);
  const [value, setValue] = useState(prefill ? current : '');
  const [error, setError] = useState<string | null>(null);
  useInput((input, key) => {
    if (matches('back', input, key)) onBack();
  });
  const submit = (raw: string): void => {
    const text = raw.trim() === '' && !step.emptyIsAnswer ? current : raw;
    const result = step.apply(draft, text);
    if (result.ok) onAnswer(result.value);
    else setError(result.error);
  };
  const showDefault = value === '' && current !== '' && !step.emptyIsAnswer;
  return (
    <Box flexDirection="column">
      <TextField
        value={value}
        placeholder={step.emptyIsAnswer ? step.placeholder : undefined}
        onChange={(next) => {
          setValue(next);
          setError(null);
        }}
        onSubmit={submit}
        error={error}
      />
      {showDefault ? (
        <Text color={theme.text.secondary} wrap="truncate-end">
          {`Default: ${sanitizeLine(current)} (Enter keeps it)`}
        </Text>
      ) : null}
      {step.aside ? (
        <Box flexDirection="column" marginTop={1}>
          {step.aside(draft).map((line) => (
            <Text key={line} color={line.startsWith('>') ? theme.text.accent : theme.text.secondary} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
