/**
 * Our one text input (wraps ink-text-input). Typed or pasted text is flattened to one line and stripped of
 * control characters; the default shows as the placeholder and Enter on an empty field takes it. A problem
 * with the value is explained right under the field.
 */
import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import { useRef } from 'react';
import { sanitizeForTerminal } from '../sanitize.js';
import { theme } from '../theme.js';

export interface TextFieldProps {
  value: string;
  onChange: (value: string) => void;
  onSubmit: (value: string) => void;
  placeholder?: string;
  /** One line under the field, shown in the error colour. */
  error?: string | null;
  focus?: boolean;
  prompt?: string;
}

/** Pasted JSON may carry newlines and tabs: they become spaces; other control characters are dropped. */
export function cleanInput(text: string): string {
  return sanitizeForTerminal(text.replace(/[\r\n\t]+/g, ' '));
}

export function TextField({ value, onChange, onSubmit, placeholder, error, focus = true, prompt = '>' }: TextFieldProps) {
  // ink-text-input submits the value its key handler saw at its last render; a key typed just before Enter
  // (fast typing, a paste, a loaded machine) could be on screen yet missing from what was submitted.
  const latest = useRef(value);
  latest.current = value;
  return (
    <Box flexDirection="column">
      <Box>
        <Text color={theme.text.accent}>{`${prompt} `}</Text>
        <TextInput
          value={value}
          focus={focus}
          placeholder={placeholder}
          onChange={(next) => {
            latest.current = cleanInput(next);
            onChange(latest.current);
          }}
          onSubmit={() => onSubmit(cleanInput(latest.current))}
        />
      </Box>
      {error ? (
        <Text color={theme.status.error} wrap="wrap">
          {`✗ ${sanitizeForTerminal(error)}`}
        </Text>
      ) : null}
    </Box>
  );
}
