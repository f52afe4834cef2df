/**
 * `synthloom resume DIR` and "Resume" on the home screen: reads the session, asks before continuing under a
 * changed plan fingerprint (unless --yes accepted it up front), then hands the run to the dashboard.
 */
import { Text } from 'ink';
import { Wait } from '../components/Wait.js';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { readSessionFile } from '../../core/session/index.js';
import { Confirm } from '../components/Confirm.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Screen } from '../components/Screen.js';
import { useAppState, useServices } from '../context.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import { planChange, type PlanChange } from './planChange.js';

export interface ResumeScreenProps {
  dir: string;
  retryFailed: boolean;
  /** --yes: a changed plan was accepted on the command line. */
  acceptPlanChange: boolean;
}

type Opened = { change: PlanChange | null; error?: undefined } | { error: string; change?: undefined };

export function ResumeScreen({ dir, retryFailed, acceptPlanChange }: ResumeScreenProps) {
  const { openRun } = useServices();
  const startRun = useAppState((s) => s.startRun);
  const leave = useAppState((s) => s.leave);
  const [error, setError] = useState<string | null>(null);
  const opened = useMemo((): Opened => {
    try {
      return { change: planChange(dir, readSessionFile(dir).config) };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }, [dir]);
  const start = (accept: boolean): void => {
    try {
      startRun(openRun({ dir, resume: true, retryFailed, acceptPlanChange: accept, onBudget: 'wait' }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const asking = opened.change != null && !acceptPlanChange;
  useEffect(() => {
    if (opened.error === undefined && !asking) start(acceptPlanChange);
    // Starts once, when nothing needs asking.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const problem = error ?? opened.error ?? null;
  let body;
  if (problem) body = <ErrorNotice message={`Cannot resume: ${problem}`} onBack={() => leave(2)} />;
  else if (asking && opened.change) {
    const { before, after, changes } = opened.change;
    body = (
      <Confirm
        message={
          `The settings changed since this session's plan was approved (fingerprint ${before} -> ${after}): ` +
          `${changes.join('; ') || 'generation settings'}. Samples already made keep the old settings. Resume under the new plan?`
        }
        yesLabel="Resume under the new plan"
        noLabel="Cancel"
        onAnswer={(yes) => (yes ? start(true) : leave(130))}
      />
    );
  } else body = <Wait label="Opening the session..." detail="reading its samples and failures" />;
  return (
    <Screen title={`Resume ${sanitizeLine(dir)}`} keys={problem ? ['back'] : asking ? ['move', 'choose', 'back'] : []}>
      {body}
    </Screen>
  );
}
