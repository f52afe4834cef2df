/** A pick from a list, with an optional "other (type it)" entry that opens a text field. */
import { Box, useInput } from 'ink';
import { useState } from 'react';
import { Select } from '../components/Select.js';
import { TextField } from '../components/TextField.js';
import { matches } from '../keys.js';
import type { ChoiceStep } from './steps.js';
import type { QuestionProps } from './TextQuestion.js';

const OTHER = '\u0000other';

export function ChoiceQuestion({ step, draft, onAnswer, onBack }: QuestionProps<ChoiceStep>) {
  const [typing, setTyping] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  useInput((input, key) => {
    if (!matches('back', input, key)) return;
    if (typing) {
      setTyping(false);
      setError(null);
    } else onBack();
  });
  const items = [
    ...step.options(draft),
    ...(step.other ? [{ label: step.other.label, value: OTHER }] : []),
  ];
  if (typing && step.other) {
    const other = step.other;
    return (
      <TextField
        value={value}
        placeholder={other.placeholder}
        error={error}
        onChange={(next) => {
          setValue(next);
          setError(null);
        }}
        onSubmit={(raw) => {
          const result = other.apply(draft, raw);
          if (result.ok) onAnswer(result.value);
          else setError(result.error);
        }}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <Select
        items={items}
        initialValue={step.value(draft)}
        onSelect={(v) => (v === OTHER ? setTyping(true) : onAnswer(step.apply(draft, v)))}
      />
    </Box>
  );
}
