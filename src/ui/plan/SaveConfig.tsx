/**
 * "Save config as YAML": to ./NAME.yaml or a typed path, written atomically; an existing file is only
 * replaced after a yes. The file holds the config, never a key (keys live in the environment only).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { configToYaml, type Config } from '../../core/config.js';
import { errorMessage } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/files.js';
import { Confirm } from '../components/Confirm.js';
import { TextField } from '../components/TextField.js';
import { matches } from '../keys.js';

export interface SaveConfigProps {
  config: Config;
  cwd: string;
  onDone: (message: string | null) => void;
}

export function saveConfigFile(config: Config, path: string): void {
  writeFileAtomic(path, configToYaml(config));
}

export function SaveConfig({ config, cwd, onDone }: SaveConfigProps) {
  const [path, setPath] = useState(`./${config.name}.yaml`);
  const [error, setError] = useState<string | null>(null);
  const [overwrite, setOverwrite] = useState<string | null>(null);
  useInput((input, key) => {
    if (!overwrite && matches('back', input, key)) onDone(null);
  });
  const write = (target: string): void => {
    try {
      saveConfigFile(config, target);
      onDone(`Saved the config to ${target}`);
    } catch (err) {
      setOverwrite(null);
      setError(`could not write ${target}: ${errorMessage(err)}`);
    }
  };
  if (overwrite) {
    return (
      <Confirm
        message={`${overwrite} exists. Replace it?`}
        yesLabel="Replace"
        noLabel="Keep it"
        onAnswer={(yes) => (yes ? write(overwrite) : setOverwrite(null))}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <Text>Save the config as YAML to:</Text>
      <TextField
        value={path}
        error={error}
        onChange={(next) => {
          setPath(next);
          setError(null);
        }}
        onSubmit={(raw) => {
          const typed = raw.trim();
          if (typed === '') return setError('type a file path, such as ./my-dataset.yaml');
          const target = resolve(cwd, typed.endsWith('.yaml') || typed.endsWith('.yml') ? typed : `${typed}.yaml`);
          if (existsSync(target)) setOverwrite(target);
          else write(target);
        }}
      />
    </Box>
  );
}
