/**
 * "Push to the Hub" from the done screen: asks for OWNER/NAME and whether the repo is private, then runs
 * the same pushDataset as `synthloom push` (token from HF_TOKEN, endpoint from HF_ENDPOINT) and shows its
 * progress and outcome. The Hub client loads only when a push starts.
 */
import React, { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { Confirm } from '../components/Confirm.js';
import { TextField } from '../components/TextField.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { theme } from '../theme.js';
import { errorMessage } from '../../core/errors.js';
import { checkRepoId, hubSettings, redact } from '../../hub/settings.js';
import type { PushProgress } from '../../hub/push.js';

export interface PushPanelProps {
  dir: string;
  env: NodeJS.ProcessEnv;
  onClose: () => void;
}

type Step = { at: 'repo' } | { at: 'private'; repo: string } | { at: 'pushing'; repo: string; line: string } | { at: 'done'; lines: string[]; ok: boolean };

function progressLine(p: PushProgress): string {
  if (p.kind === 'phase') return `${p.phase}…`;
  return `${p.state} ${p.path} ${Math.round(p.progress * 100)}%`;
}

export function PushPanel({ dir, env, onClose }: PushPanelProps): React.JSX.Element {
  const [step, setStep] = useState<Step>({ at: 'repo' });
  const [repo, setRepo] = useState('');
  const [error, setError] = useState<string | null>(null);

  useInput(
    (_input, key) => {
      if (step.at === 'done' || key.escape) onClose();
    },
    { isActive: step.at === 'repo' || step.at === 'done' },
  );

  function submitRepo(value: string): void {
    try {
      checkRepoId(value.trim());
      hubSettings(env);
    } catch (err) {
      setError(errorMessage(err));
      return;
    }
    setError(null);
    setStep({ at: 'private', repo: value.trim() });
  }

  function start(target: string, makePrivate: boolean): void {
    setStep({ at: 'pushing', repo: target, line: 'starting…' });
    void (async () => {
      const hub = hubSettings(env);
      try {
        const [{ pushDataset }, { describePush }] = await Promise.all([import('../../hub/push.js'), import('../../commands/push.js')]);
        const result = await pushDataset({ sessionDir: dir, repo: target, private: makePrivate }, hub, (p) =>
          setStep({ at: 'pushing', repo: target, line: progressLine(p) }),
        );
        setStep({ at: 'done', ok: true, lines: describePush(result) });
      } catch (err) {
        setStep({ at: 'done', ok: false, lines: [redact(errorMessage(err), hub.token)] });
      }
    })();
  }

  if (step.at === 'private') {
    return <Confirm message={`Make ${step.repo} a private repo? (an existing repo keeps its visibility)`} defaultYes onAnswer={(yes) => start(step.repo, yes)} />;
  }
  return (
    <Box flexDirection="column">
      <Text bold={theme.emphasis}>Push to the Hub</Text>
      {step.at === 'repo' ? (
        <>
          <Text color={theme.text.secondary} wrap="wrap">Dataset repo as OWNER/NAME (created if needed; token from HF_TOKEN). Esc goes back.</Text>
          <TextField value={repo} onChange={setRepo} onSubmit={submitRepo} placeholder="alice/support-chats" error={error} />
        </>
      ) : step.at === 'pushing' ? (
        <Text wrap="truncate-end">{`${sanitizeForTerminal(step.repo)}: ${sanitizeForTerminal(step.line)}`}</Text>
      ) : (
        <>
          {step.lines.map((line, i) => (
            <Text key={i} wrap="wrap" color={step.ok ? undefined : theme.status.error}>{sanitizeForTerminal(line)}</Text>
          ))}
          <Text color={theme.text.secondary}>any key: back</Text>
        </>
      )}
    </Box>
  );
}
