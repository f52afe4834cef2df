/** A yes/no question: y or n, or pick with the arrows; Esc means no. */
import { Box, Text, useInput } from 'ink';
import { matches } from '../keys.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { Select } from './Select.js';

export interface ConfirmProps {
  message: string;
  yesLabel?: string;
  noLabel?: string;
  onAnswer: (yes: boolean) => void;
  /** Which answer is highlighted first. */
  defaultYes?: boolean;
}

export function Confirm({ message, yesLabel = 'Yes', noLabel = 'No', onAnswer, defaultYes = false }: ConfirmProps) {
  useInput((input, key) => {
    if (matches('yes', input, key)) onAnswer(true);
    else if (matches('no', input, key) || matches('back', input, key)) onAnswer(false);
  });
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">{sanitizeForTerminal(message)}</Text>
      <Box marginTop={1}>
        <Select
          items={[
            { label: `${yesLabel} (y)`, value: 'yes' },
            { label: `${noLabel} (n)`, value: 'no' },
          ]}
          initialValue={defaultYes ? 'yes' : 'no'}
          onSelect={(v) => onAnswer(v === 'yes')}
        />
      </Box>
    </Box>
  );
}
