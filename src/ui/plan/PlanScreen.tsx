/**
 * The plan approval screen (SPEC 4, 9): the estimate and split sizes up front, the topics, diversity spread
 * and the exact sample prompt one Tab away, and the actions. Approving is the only way to spend sample tokens.
 */
import { Box, Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { buildPlan, computeFingerprint, type Plan } from '../../core/plan.js';
import type { RunHandle } from '../../core/run.js';
import { Screen } from '../components/Screen.js';
import { Select, type SelectItem } from '../components/Select.js';
import { useAppState, useServices } from '../context.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { matches, type BindingId } from '../keys.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import { EditPicker } from './EditPicker.js';
import { diversityLines, estimateLines, promptLines, topicLines, type Line } from './planLines.js';
import { maxOffset, PLAN_VIEWS, PlanView, Tabs, type PlanViewName } from './PlanView.js';
import { PriceOverride } from './PriceOverride.js';
import { SaveConfig } from './SaveConfig.js';
import { TopicPreview } from './TopicPreview.js';

type Mode = 'main' | 'edit' | 'save' | 'price' | 'topics';
type Action = 'approve' | 'topics' | 'edit' | 'price' | 'save' | 'cancel';

/** Rows around the view: header, tabs, margins, notice, footer, and one spare so Ink never fills the screen. */
const CHROME_ROWS = 7;

function actionsFor(plan: Plan): SelectItem<Action>[] {
  const unknownPrice = plan.estimate.costUsd === null;
  return [
    { label: 'Approve and start', value: 'approve', hint: `generates ${plan.config.size} examples` },
    { label: plan.tree ? 'Edit topics' : 'Preview topics', value: 'topics', hint: plan.tree ? 'prune, rename, reweight' : 'see the topic tree first' },
    { label: 'Edit an answer', value: 'edit' },
    ...(unknownPrice || plan.config.provider.price ? [{ label: 'Set a price', value: 'price' as const, hint: 'USD per 1M tokens' }] : []),
    { label: 'Save config as YAML', value: 'save' },
    { label: 'Cancel', value: 'cancel' },
  ];
}

/** Whether the preview's session was opened with the settings this plan is for. */
function sameSettings(preview: RunHandle, plan: Plan): boolean {
  return computeFingerprint(preview.config).fingerprint === plan.fingerprint;
}

function linesFor(view: PlanViewName, plan: Plan, width: number): Line[] {
  if (view === 'topics') return topicLines(plan);
  if (view === 'diversity') return diversityLines(plan);
  if (view === 'prompt') return promptLines(plan, width);
  return estimateLines(plan);
}

export function PlanScreen({ plan }: { plan: Plan }) {
  const services = useServices();
  const { columns, rows } = useTerminalSize();
  const setPlan = useAppState((s) => s.setPlan);
  const editField = useAppState((s) => s.editField);
  const startRun = useAppState((s) => s.startRun);
  const preview = useAppState((s) => s.preview);
  const leave = useAppState((s) => s.leave);
  const [mode, setMode] = useState<Mode>('main');
  const [view, setView] = useState<PlanViewName>('estimate');
  const [offset, setOffset] = useState(0);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const actions = actionsFor(plan);
  const bodyHeight = Math.max(4, rows - CHROME_ROWS - (mode === 'main' ? actions.length + 1 : 0));
  const lines = useMemo(() => linesFor(view, plan, columns), [view, plan, columns]);

  useInput(
    (input, key) => {
      if (matches('nextPanel', input, key)) {
        setView(PLAN_VIEWS[(PLAN_VIEWS.indexOf(view) + 1) % PLAN_VIEWS.length]!);
        setOffset(0);
      } else if (matches('scrollDown', input, key)) {
        setOffset(Math.min(maxOffset(lines.length, bodyHeight), offset + bodyHeight - 2));
      } else if (matches('scrollUp', input, key)) {
        setOffset(Math.max(0, offset - (bodyHeight - 2)));
      } else if (matches('close', input, key)) {
        leave(130);
      }
    },
    { isActive: mode === 'main' },
  );

  const approve = (): void => {
    try {
      // A topic preview opened the session already: the same run goes on, its topic spend booked.
      if (preview && preview.config.name === plan.config.name && preview.config.output_dir === plan.config.output_dir && sameSettings(preview, plan)) {
        preview.approve(plan);
        startRun(preview);
      } else {
        preview?.close(); // a session it made with other settings is taken over by the new run
        startRun(services.openRun({ config: plan.config, plan, onBudget: 'wait' }));
      }
    } catch (err) {
      setNotice({ text: `Cannot start: ${errorMessage(err)}`, error: true });
    }
  };
  const choose = (action: Action): void => {
    setNotice(null);
    if (action === 'approve') approve();
    else if (action === 'cancel') leave(130);
    else setMode(action);
  };
  const back = (): void => setMode('main');

  // Until the tree exists, "Preview topics" asks before spending (then expands): its keys are a yes/no's.
  const treeKeys: BindingId[] = plan.tree || plan.estimate.calls.topics === 0 ? ['move', 'treeRemove', 'treeRename', 'treeHeavier', 'treeLighter', 'treeDone'] : ['move', 'choose', 'back'];
  const keys: BindingId[] = mode === 'main' ? ['move', 'choose', 'nextPanel', 'scrollDown', 'close'] : mode === 'topics' ? treeKeys : mode === 'edit' ? ['move', 'choose', 'back'] : ['accept', 'back'];
  const c = plan.config;
  return (
    <Screen title={`Plan ${sanitizeLine(c.name)}`} right={`${c.provider.name} ${sanitizeLine(c.provider.model)}`} keys={keys}>
      {mode === 'main' ? (
        <>
          <Tabs current={view} />
          <PlanView lines={lines} height={bodyHeight} offset={offset} />
          <Box marginTop={1}>
            <Select items={actions} onSelect={choose} />
          </Box>
        </>
      ) : null}
      {mode === 'edit' ? <EditPicker config={c} height={bodyHeight} onPick={editField} onCancel={back} /> : null}
      {mode === 'save' ? (
        <SaveConfig
          config={c}
          cwd={services.cwd}
          onDone={(message) => {
            if (message) setNotice({ text: message, error: false });
            back();
          }}
        />
      ) : null}
      {mode === 'price' ? (
        <PriceOverride
          config={c}
          onDone={(config) => {
            if (config) setPlan(buildPlan(config, plan.tree));
            back();
          }}
        />
      ) : null}
      {mode === 'topics' ? <TopicPreview plan={plan} height={bodyHeight} onChange={setPlan} onDone={back} /> : null}
      {notice ? (
        <Text color={notice.error ? theme.status.error : theme.status.ok} wrap="truncate-end">
          {sanitizeLine(notice.text)}
        </Text>
      ) : null}
    </Screen>
  );
}
