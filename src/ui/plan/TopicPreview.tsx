/**
 * "Preview topics": the only LLM work before approval, so its cost is shown first and needs a yes. Then the
 * tree is expanded (progress per node, Esc aborts) and opened for editing; the edited plan goes back to the
 * plan screen and is what approval runs.
 */
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { EventBus } from '../../core/events.js';
import { retarget, type Plan } from '../../core/plan.js';
import { formatUsd } from '../../core/prices.js';
import { expandTopics } from '../../core/topics.js';
import { initialTree } from '../../core/tree.js';
import { createProvider } from '../../providers/index.js';
import { Confirm } from '../components/Confirm.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useServices } from '../context.js';
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
  const { env } = useServices();
  const needsCalls = !plan.tree && plan.estimate.calls.topics > 0;
  const [phase, setPhase] = useState<Phase>(needsCalls ? 'confirm' : 'tree');
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<string | null>(null);
  const [spent, setSpent] = useState<number | null | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  useInput(
    (input, key) => {
      if (matches('back', input, key)) {
        abort.current?.abort();
        onDone();
      }
    },
    { isActive: phase === 'expanding' && error === null },
  );

  const expand = (): void => {
    setPhase('expanding');
    const bus = new EventBus();
    bus.on((event) => {
      if (event.type === 'topic_done') setProgress({ done: event.done, total: event.total });
    });
    abort.current = new AbortController();
    const signal = abort.current.signal;
    Promise.resolve()
      .then(() => expandTopics(plan.config, createProvider(plan.config, env), { events: bus, signal }))
      .then(
        (result) => {
          if (signal.aborted) return;
          onChange(retarget(plan, result.tree));
          setSpent(result.costUsd);
          setPhase('tree');
        },
        (err: unknown) => {
          if (!signal.aborted) setError(errorMessage(err));
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
    const of = progress.total > 0 ? ` ${progress.done}/${progress.total} topics` : '';
    return <Text color={theme.text.secondary}>{`Expanding topics...${of} (Esc to stop)`}</Text>;
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
