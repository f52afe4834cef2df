/**
 * "Preview topics": the only LLM work before approval, so its cost is shown first and needs a yes. Then the
 * tree is expanded (progress per node, Esc aborts) and opened for editing; the edited plan goes back to the
 * plan screen and is what approval runs. The expansion runs in the session's own run (opened here, kept in
 * the app store): its requests go through the run's limiter, journal and ledger, and approval continues it.
 */
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { retarget, type Plan } from '../../core/plan.js';
import { formatUsd } from '../../core/prices.js';
import { initialTree } from '../../core/tree.js';
import { Confirm } from '../components/Confirm.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Wait } from '../components/Wait.js';
import { useAppState, useServices } from '../context.js';
import { matches } from '../keys.js';
import { theme } from '../theme.js';
import { TreeEditor } from './TreeEditor.js';

export interface TopicPreviewProps {
  plan: Plan;
  height: number;
  onChange: (plan: Plan) => void;
  onDone: () => void;
}

type Phase = 'confirm' | 'expanding' | 'tree';

export function TopicPreview({ plan, height, onChange, onDone }: TopicPreviewProps) {
  const { openRun } = useServices();
  const setPreview = useAppState((s) => s.setPreview);
  const current = useAppState((s) => s.preview);
  const needsCalls = !plan.tree && plan.estimate.calls.topics > 0;
  const [phase, setPhase] = useState<Phase>(needsCalls ? 'confirm' : 'tree');
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<string | null>(null);
  const [spent, setSpent] = useState<number | null | undefined>(undefined);
  const gaveUp = useRef(false);
  useEffect(() => () => void (gaveUp.current = true), []);
  useInput(
    (input, key) => {
      if (matches('back', input, key)) {
        gaveUp.current = true;
        setPreview(null); // closes the run: nodes in flight are abandoned, the ones journaled stay
        onDone();
      }
    },
    { isActive: phase === 'expanding' && error === null },
  );

  const expand = (): void => {
    setPhase('expanding');
    gaveUp.current = false;
    Promise.resolve()
      .then(() => {
        // One run per previewed session: a second preview (after a failure) continues the same journal.
        const run = current && current.config.name === plan.config.name ? current : openRun({ config: plan.config, plan, onBudget: 'wait' });
        setPreview(run);
        run.events.on((event) => {
          if (event.type === 'topic_done') setProgress({ done: event.done, total: event.total });
        });
        return run.previewTopics();
      })
      .then(
        (result) => {
          if (gaveUp.current) return;
          if (result.failed.length > 0) {
            setError(`${result.failed.length} topic node(s) could not be expanded (${result.failed[0]!.message}); preview again to retry them`);
            return;
          }
          onChange(retarget(plan, result.tree));
          setSpent(result.costUsd);
          setPhase('tree');
        },
        (err: unknown) => {
          if (!gaveUp.current) setError(errorMessage(err));
        },
      );
  };

  if (error) return <ErrorNotice message={`Topic preview failed: ${error}`} onBack={onDone} />;
  if (phase === 'confirm') {
    const cost = plan.estimate.topicCostUsd === null ? 'an unknown amount (no price for this model)' : `about ${formatUsd(plan.estimate.topicCostUsd)}`;
    return (
      <Confirm
        message={`Expanding the topic tree makes ${plan.estimate.calls.topics} LLM calls and costs ${cost}. No samples are generated. Go ahead?`}
        yesLabel="Expand topics"
        noLabel="Back to the plan"
        onAnswer={(yes) => (yes ? expand() : onDone())}
      />
    );
  }
  if (phase === 'expanding') {
    const of = progress.total > 0 ? `${progress.done}/${progress.total} topics ` : '';
    return <Wait label="Expanding topics" detail={`${of}(Esc to stop)`} />;
  }
  const tree = plan.tree ?? initialTree(plan.config);
  return (
    <Box flexDirection="column">
      {spent !== undefined ? (
        <Text color={theme.text.secondary}>{`Topic expansion cost ${formatUsd(spent)}. Edit the tree, then Enter.`}</Text>
      ) : null}
      <TreeEditor plan={plan} tree={tree} height={height - (spent !== undefined ? 1 : 0)} onChange={onChange} onDone={onDone} />
    </Box>
  );
}
