import React from 'react';
import { Box, Text } from 'ink';
import { SpinnerMark } from '../components/Wait.js';
import { theme } from '../theme.js';
import { compact, duration, limiterText, progressBar, usd } from './format.js';
import { failedKinds, failureCount, slotsGaveUp, type RunState } from './runStore.js';

/** Phases that wait on something (the provider's first answers, topic expansion, requests finishing): a spinner shows it. */
const WAITING = new Set<RunState['phase']>(['starting', 'expanding', 'stopping']);

/** Lines the stats block takes (the run screen budgets the rest of the height for the sample). */
export const RUN_STATS_LINES = 5;

function phaseLabel(state: RunState): { text: string; color?: string } {
  switch (state.phase) {
    case 'starting':
      return { text: 'starting', color: theme.status.info };
    case 'expanding':
      return { text: `expanding topics ${state.topics?.done ?? 0}/${state.topics?.total ?? '?'}`, color: theme.status.info };
    case 'running':
      return { text: 'running', color: theme.status.ok };
    case 'paused':
      return { text: 'PAUSED', color: theme.status.warn };
    case 'budget_paused':
      return { text: 'PAUSED AT BUDGET CAP', color: theme.status.warn };
    case 'stopping':
      return { text: `stopping, ${state.counts.inFlight} request(s) finishing`, color: theme.status.warn };
    case 'ended':
      return { text: `ended: ${state.end?.status ?? ''}`, color: state.end?.status === 'done' ? theme.status.ok : theme.status.warn };
  }
}

export function RunStats({ state, width, now }: { state: RunState; width: number; now: number }): React.JSX.Element {
  const c = state.counts;
  const pct = c.target > 0 ? Math.floor((c.done / c.target) * 100) : 0;
  const tail = ` ${c.done}/${c.target} ${pct}%`;
  const bar = progressBar(c.done, c.target, Math.min(40, width - tail.length - 2));
  const phase = phaseLabel(state);
  const kinds = failedKinds(state);
  const gaveUp = slotsGaveUp(state);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold={theme.emphasis}>{state.session || 'synthloom'}</Text>
        <Text color={theme.text.secondary}>{` · ${state.provider} ${state.model}${state.demo ? ' (demo)' : ''} · `}</Text>
        {WAITING.has(state.phase) ? (
          <Text color={theme.text.accent}>
            <SpinnerMark />{' '}
          </Text>
        ) : null}
        <Text color={phase.color} bold={theme.emphasis}>{phase.text}</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text color={theme.text.accent}>{bar}</Text>
        {tail}
        <Text color={theme.text.secondary}>{` · ${c.ratePerMin.toFixed(1)}/min · ETA ${duration(c.etaS)}`}</Text>
      </Text>
      <Text wrap="truncate-end">
        {`tokens ${compact(c.tokens.input)} in${c.cachedInputTokens ? ` (${compact(c.cachedInputTokens)} cached)` : ''} / ${compact(c.tokens.output)} out · `}
        <Text bold={theme.emphasis}>{usd(c.costUsd)} spent</Text>
        {c.spendByStage.judge > 0 ? ` (judge ${usd(c.spendByStage.judge)})` : ''}
        {` · ${usd(c.projectedUsd)} projected · cap ${usd(c.budgetUsd)}`}
      </Text>
      {state.batch ? (
        <Text wrap="truncate-end">
          {`batches ${state.batch.submitted} submitted · ${state.batch.inProgress} in progress · ${state.batch.done} done · lines ${state.batch.linesSucceeded} succeeded / ${state.batch.linesFailed} failed`}
        </Text>
      ) : (
      <Text wrap="truncate-end">
        {`requests ${c.inFlight} in flight · ${c.queued} queued · ${c.requests} sent · limiter `}
        <Text color={c.limiter.state === 'ok' ? undefined : theme.status.warn}>{limiterText(c.limiter, state.limiterAt, now)}</Text>
      </Text>
      )}
      <Text wrap="truncate-end">
        {'failures '}
        {kinds.length === 0 ? <Text color={theme.text.secondary}>none</Text> : null}
        {kinds.map((k, i) => (
          <Text key={k} color={theme.status.error}>{`${i > 0 ? ' · ' : ''}${k} ${failureCount(state, k)}`}</Text>
        ))}
        {gaveUp > 0 ? <Text color={theme.status.warn}>{` (${gaveUp} slot(s) gave up: r to retry)`}</Text> : null}
      </Text>
    </Box>
  );
}
