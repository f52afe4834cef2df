/**
 * `synthloom resume DIR` and "Resume" on the home screen: reads the session (read-only, nothing spent) and
 * shows what is left, the failures to retry, the changes since approval and the cost of what is left, for
 * approval as `run` does; --yes skips the question (and accepts a changed plan). Then the dashboard.
 */
import { Box } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { resumeOutlook, type ResumeOutlook } from '../../core/plan-remaining.js';
import { Confirm } from '../components/Confirm.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Screen } from '../components/Screen.js';
import { Wait } from '../components/Wait.js';
import { useAppState, useServices } from '../context.js';
import { sanitizeLine } from '../sanitize.js';
import { planChange } from './planChange.js';
import { ResumeSummary } from './ResumeSummary.js';

export interface ResumeScreenProps {
  dir: string;
  retryFailed: boolean;
  /** --yes: start at once, a changed plan accepted on the command line. */
  acceptPlanChange: boolean;
}

type Opened = { outlook: ResumeOutlook; before?: string; after?: string; error?: undefined } | { error: string; outlook?: undefined };

export function ResumeScreen({ dir, retryFailed, acceptPlanChange }: ResumeScreenProps) {
  const { openRun } = useServices();
  const startRun = useAppState((s) => s.startRun);
  const leave = useAppState((s) => s.leave);
  const [error, setError] = useState<string | null>(null);
  const opened = useMemo((): Opened => {
    if (acceptPlanChange) return { outlook: null as unknown as ResumeOutlook };
    try {
      const outlook = resumeOutlook(dir, retryFailed);
      const change = planChange(dir, outlook.config);
      return { outlook, before: change?.before, after: change?.after };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }, [dir, retryFailed, acceptPlanChange]);
  const start = (accept: boolean): void => {
    try {
      startRun(openRun({ dir, resume: true, retryFailed, acceptPlanChange: accept, onBudget: 'wait' }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => {
    if (acceptPlanChange) start(true);
    // --yes starts once, asking nothing.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const problem = error ?? opened.error ?? null;
  const asking = !problem && !acceptPlanChange;
  let body;
  if (problem) body = <ErrorNotice message={`Cannot resume: ${problem}`} onBack={() => leave(2)} />;
  else if (asking && opened.outlook) {
    const o = opened.outlook;
    const changed = o.changes.length > 0;
    const question = changed
      ? `The settings changed since this session's plan was approved (fingerprint ${opened.before} -> ${opened.after}): ` +
        `${o.changes.join('; ')}. Samples already made keep the old settings. Resume under the new plan?`
      : `${o.done} of ${o.done + o.slotsLeft + o.gaveUp} done${o.gaveUp > 0 ? `, ${o.gaveUp} gave up (resume --retry-failed retries them)` : ''}. Resume and spend?`;
    body = (
      <Box flexDirection="column">
        <ResumeSummary slotsLeft={o.slotsLeft} failuresToRetry={o.failuresToRetry} changes={o.changes} costUsd={o.estimate.costUsd} spentUsd={o.spentUsd} budgetUsd={o.budgetUsd} />
        <Box marginTop={1}>
          <Confirm message={question} yesLabel={changed ? 'Resume under the new plan' : 'Resume'} noLabel="Cancel" defaultYes onAnswer={(yes) => (yes ? start(changed) : leave(130))} />
        </Box>
      </Box>
    );
  } else body = <Wait label="Opening the session..." detail="reading its samples and failures" />;
  return (
    <Screen title={`Resume ${sanitizeLine(dir)}`} keys={problem ? ['back'] : asking ? ['move', 'choose', 'back'] : []}>
      {body}
    </Screen>
  );
}
