/** A model the price table does not know: the user types its price so the plan can show a cost. */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { Config } from '../../core/config.js';
import { TextField } from '../components/TextField.js';
import { matches } from '../keys.js';
import { sanitizeLine } from '../sanitize.js';
import { parsePrice } from '../wizard/parse.js';

export interface PriceOverrideProps {
  config: Config;
  onDone: (config: Config | null) => void;
}

export function PriceOverride({ config, onDone }: PriceOverrideProps) {
  const current = config.provider.price;
  const [value, setValue] = useState(current ? `${current.input}/${current.output}` : '');
  const [error, setError] = useState<string | null>(null);
  useInput((input, key) => {
    if (matches('back', input, key)) onDone(null);
  });
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">{`Price of ${sanitizeLine(config.provider.model)} in USD per 1M tokens, input/output (saved as provider.price):`}</Text>
      <TextField
        value={value}
        placeholder="0.40/1.60"
        error={error}
        onChange={(next) => {
          setValue(next);
          setError(null);
        }}
        onSubmit={(raw) => {
          const parsed = parsePrice(raw);
          if (!parsed.ok) return setError(parsed.error);
          onDone({ ...config, provider: { ...config.provider, price: parsed.value } });
        }}
      />
    </Box>
  );
}
