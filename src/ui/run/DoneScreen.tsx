import React, { useState } from 'react';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Box, Text, useInput } from 'ink';
import { sanitizeForTerminal } from '../sanitize.js';
import { theme } from '../theme.js';
import { duration, usd } from './format.js';
import { actionFor, doneKeys, footerText } from './keys.js';
import { failedKinds, failureCount, type RunState } from './runStore.js';
import { PushPanel } from './PushPanel.js';

export interface DoneScreenProps {
  state: RunState;
  dir: string;
  /** The export format the config asked for. */
  format: string;
  /** Set when the run could not start or crashed (one line). */
  error?: string;
  height: number;
  onFailures: () => void;
  onSamples: () => void;
  onExit: () => void;
  /** Where the "Push to the Hub" action reads HF_TOKEN and HF_ENDPOINT (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** `?`: the keys of this screen. */
  onHelp?: () => void;
  /** "Scale to N": offered when given (the app continues the session in place). */
  onScale?: () => void;
}

function shellArg(text: string): string {
  return /^[\w./:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** What the run left on disk, one line each: the session, its append-only files, the exported dataset. */
function filesWritten(dir: string): string[] {
  const own = ['samples.jsonl', 'failures.jsonl', 'removed.jsonl'].filter((f) => existsSync(join(dir, f)));
  const dataset = join(dir, 'dataset');
  const exported = existsSync(dataset) ? readdirSync(dataset).sort() : [];
  return [
    `session  ${dir}`,
    ...own.map((f) => `         ${join(dir, f)}`),
    ...(exported.length > 0 ? [`dataset  ${dataset}/`, `         ${exported.join('  ')}`] : []),
  ];
}

/** The dataset_info summary without its heading block (name, task, model: the user knows those). */
function datasetInfo(dir: string): string[] {
  const file = join(dir, 'dataset', 'dataset_info.txt');
  if (!existsSync(file)) return [];
  const blocks = sanitizeForTerminal(readFileSync(file, 'utf8')).split(/\n\s*\n/);
  return (blocks.length > 1 ? blocks.slice(1) : blocks).join('\n').split('\n').filter((l) => l.trim() !== '');
}

/** The end of a run: what was written where, the dataset summary, failures left, and the next commands. */
const { scale: _scale, ...withoutScale } = doneKeys;

export function DoneScreen({ state, dir, format, error, height, onFailures, onSamples, onExit, onHelp, onScale, env = process.env }: DoneScreenProps): React.JSX.Element {
  const [disk] = useState(() => ({ files: filesWritten(dir), info: datasetInfo(dir) }));
  const [pushing, setPushing] = useState(false);
  useInput(
    (input, key) => {
      const action = actionFor(doneKeys, input, key);
      if (action === 'failures') onFailures();
      else if (action === 'samples') onSamples();
      else if (action === 'push') setPushing(true);
      else if (action === 'exit') onExit();
      else if (action === 'help') onHelp?.();
      else if (action === 'scale') onScale?.();
    },
    { isActive: !pushing },
  );
  if (pushing) return <PushPanel dir={dir} env={env} onClose={() => setPushing(false)} />;

  const end = state.end;
  const c = state.counts;
  const d = shellArg(dir);
  const unfinished = !end || end.status !== 'done';
  const commands = [
    ...(unfinished ? [`synthloom resume ${d}${c.failedSlots > 0 ? ' --retry-failed' : ''}`] : []),
    `synthloom export ${d} --format ${format}`,
    `synthloom validate ${shellArg(join(dir, 'dataset', 'train.jsonl'))}`,
  ];
  const kinds = failedKinds(state);
  const fixed = 8 + disk.files.length + commands.length + (error ? 1 : 0);
  const room = Math.max(0, height - fixed);
  const info = disk.info.length > room ? [...disk.info.slice(0, Math.max(0, room - 1)), '…'] : disk.info;
  const headline = end ? `Run ${end.status}${end.reason ? `: ${sanitizeForTerminal(end.reason)}` : ''}` : 'Run did not finish';
  const colour = end?.status === 'done' ? theme.status.ok : theme.status.warn;

  return (
    <Box flexDirection="column">
      <Text bold={theme.emphasis} color={colour} wrap="truncate-end">{headline}</Text>
      {error ? <Text color={theme.status.error} wrap="truncate-end">{sanitizeForTerminal(error)}</Text> : null}
      <Text wrap="truncate-end">{`${c.done}/${c.target} samples · ${usd(c.costUsd)} spent · ${duration(end?.elapsedS ?? null)}`}</Text>
      <Text wrap="truncate-end" color={kinds.length > 0 ? theme.status.warn : theme.text.secondary}>
        {`unfilled: ${c.unfilled} of ${c.target} slot(s)${c.failedSlots > 0 ? ` (${c.failedSlots} gave up after retries)` : ''}${kinds.length > 0 ? ` · ${kinds.map((k) => `${k} ${failureCount(state, k)}`).join(' · ')}` : ''}`}
      </Text>
      <Text bold={theme.emphasis}>Files</Text>
      {disk.files.map((f) => (
        <Text key={f} wrap="truncate-end">{`  ${f}`}</Text>
      ))}
      {info.length > 0 ? <Text bold={theme.emphasis}>Dataset (dataset_info.txt)</Text> : null}
      {info.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={theme.text.secondary}>{`  ${line}`}</Text>
      ))}
      <Text bold={theme.emphasis}>Next</Text>
      {commands.map((cmd) => (
        <Text key={cmd} wrap="truncate-end" color={theme.text.accent}>{`  ${cmd}`}</Text>
      ))}
      <Text wrap="truncate-end" color={theme.text.secondary}>{footerText(onScale ? doneKeys : withoutScale)}</Text>
    </Box>
  );
}
