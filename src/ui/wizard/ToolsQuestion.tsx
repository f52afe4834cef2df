/** Tools for an agent dataset: a ready-made set, the tools already in the config, or pasted JSON. */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { Config } from '../../core/config.js';
import type { ToolDefinition } from '../../core/types.js';
import { Select } from '../components/Select.js';
import { TextField } from '../components/TextField.js';
import { matches } from '../keys.js';
import { theme } from '../theme.js';
import type { CustomStep } from './steps.js';
import type { QuestionProps } from './TextQuestion.js';
import { TOOL_SETS, parseToolsJson, toolNames } from './tools.js';

const KEEP = 'keep';
const PASTE = 'paste';

function withTools(draft: Config, tools: ToolDefinition[]): Config {
  return { ...draft, conversation: { ...draft.conversation, tools } };
}

export function ToolsQuestion({ draft, onAnswer, onBack }: QuestionProps<CustomStep>) {
  const [pasting, setPasting] = useState(false);
  const [json, setJson] = useState('');
  const [error, setError] = useState<string | null>(null);
  useInput((input, key) => {
    if (!matches('back', input, key)) return;
    if (pasting) {
      setPasting(false);
      setError(null);
    } else onBack();
  });
  const existing = draft.conversation.tools as ToolDefinition[];
  if (pasting) {
    return (
      <Box flexDirection="column">
        <Text wrap="wrap">Paste a JSON list of OpenAI function tools, then press Enter:</Text>
        <TextField
          value={json}
          placeholder='[{"type":"function","function":{"name":"get_weather","parameters":{...}}}]'
          error={error}
          onChange={(next) => {
            setJson(next);
            setError(null);
          }}
          onSubmit={(raw) => {
            const result = parseToolsJson(raw);
            if (result.ok) onAnswer(withTools(draft, result.value));
            else setError(result.error);
          }}
        />
      </Box>
    );
  }
  const items = [
    ...(existing.length > 0 ? [{ label: `keep the ${existing.length} tools from the config`, value: KEEP, hint: toolNames(existing) }] : []),
    ...TOOL_SETS.map((set) => ({ label: set.label, value: set.id, hint: toolNames(set.tools) })),
    { label: 'paste JSON...', value: PASTE },
  ];
  return (
    <Box flexDirection="column">
      <Select
        items={items}
        onSelect={(value) => {
          if (value === PASTE) setPasting(true);
          else if (value === KEEP) onAnswer(withTools(draft, existing));
          else {
            const set = TOOL_SETS.find((s) => s.id === value);
            if (set) onAnswer(withTools(draft, structuredClone(set.tools)));
          }
        }}
      />
      {existing.length === 0 ? (
        <Text color={theme.text.secondary}>An agent dataset needs at least one tool.</Text>
      ) : null}
    </Box>
  );
}
