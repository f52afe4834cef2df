/** "Edit an answer": pick the question to change; the wizard opens there and returns to the plan. */
import { Box, Text, useInput } from 'ink';
import type { Config } from '../../core/config.js';
import { Select } from '../components/Select.js';
import { matches } from '../keys.js';
import { theme } from '../theme.js';
import { answerText } from '../wizard/answerText.js';
import { visibleSteps, type StepId } from '../wizard/steps.js';

export interface EditPickerProps {
  config: Config;
  height: number;
  onPick: (step: StepId) => void;
  onCancel: () => void;
}

export function EditPicker({ config, height, onPick, onCancel }: EditPickerProps) {
  useInput((input, key) => {
    if (matches('back', input, key)) onCancel();
  });
  const steps = visibleSteps(config);
  return (
    <Box flexDirection="column">
      <Text color={theme.text.secondary}>Which answer do you want to change?</Text>
      <Select
        items={steps.map((s) => ({ label: s.label.padEnd(17), value: s.id, hint: answerText(s, config) }))}
        limit={Math.max(3, height - 1)}
        onSelect={onPick}
      />
    </Box>
  );
}
