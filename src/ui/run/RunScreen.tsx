import React, { useEffect, useState } from 'react';
import { Box, Static, Text } from 'ink';
import type { RunHandle, RunResult } from '../../core/run.js';
import { errorMessage } from '../../core/errors.js';
import type { FailureKind } from '../../core/types.js';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';
import { DoneScreen } from './DoneScreen.js';
import { FailurePanel } from './FailurePanel.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { useThrottledState, useTicker } from './hooks.js';
import { dashboardKeys, footerText } from './keys.js';
import { RUN_STATS_LINES, RunStats } from './RunStats.js';
import { connectRunStore, createRunStore, initialRunState, slotsGaveUp, type LogLine } from './runStore.js';
import { SampleBrowser } from './SampleBrowser.js';
import { SampleView } from './SampleView.js';
import { StatusLine } from './StatusLine.js';
import { useRunControls } from './useRunControls.js';
import { RunHelp } from './RunHelp.js';
import { ScalePanel } from './ScalePanel.js';
import { Sparkline } from './Sparkline.js';
import { CategoryBars, categoryBarLines } from './CategoryBars.js';
import { THROUGHPUT_INTERVAL_S, usePictures } from './usePictures.js';

export interface RunScreenProps {
  handle: RunHandle;
  /** Called with the process exit code once the user leaves (or after a confirmed quit has finished). */
  onExit: (code: number) => void;
  /** Longest gap between screen updates while events stream in; 0 renders on every event (tests). */
  renderIntervalMs?: number;
  /** Call handle.start() on mount (default). False when the caller started the run already. */
  autoStart?: boolean;
  /**
   * After the run ended, a retry from the failure panel continues the same session in place: the caller
   * opens a resume run of it (retrying those kinds, null: all) and shows its dashboard. Absent: no retry then.
   */
  onContinue?: (kinds: FailureKind[] | null) => void;
  /** "Scale to N" approved on the done screen: the caller raises the size and continues the session. */
  onScale?: (size: number) => void;
}

const TONES: Record<LogLine['tone'], keyof typeof theme.status> = { ok: 'ok', warn: 'warn', error: 'error', info: 'info' };
/** Rows left free below the live region so Ink never has to redraw the whole screen. */
const MARGIN = 1;
/**
 * The sample preview's rows at most, heading included. Every frame costs in proportion to the live
 * region's size, so the dashboard stays compact on a tall terminal; the sample browser shows more.
 */
const SAMPLE_ROWS = 12;

/** The live run: stats, the latest sample, failures and samples on demand, and the done screen at the end. */
export function RunScreen({ handle, onExit, renderIntervalMs = 100, autoStart = true, onContinue, onScale }: RunScreenProps): React.JSX.Element {
  const [store] = useState(() => createRunStore(initialRunState(handle.snapshot(), handle.dir, handle.config)));
  const [scaling, setScaling] = useState(false);
  const [outcome, setOutcome] = useState<{ result?: RunResult; error?: string; code?: number }>({});
  useEffect(() => {
    const off = connectRunStore(handle.events, store); // subscribed before start(): no event is missed
    if (autoStart) {
      handle.start().then(
        (result) => setOutcome({ result }),
        (err: unknown) => setOutcome({ error: errorMessage(err), code: (err as { exitCode?: number }).exitCode ?? 1 }),
      );
    }
    return off;
  }, [handle, store, autoStart]);

  const state = useThrottledState(store, renderIntervalMs);
  const pictures = usePictures(handle.events, handle.dir);
  const { columns, rows } = useTerminalSize();
  const now = useTicker(state.counts.limiter.state === 'waiting');
  const exitCode = outcome.result?.exitCode ?? outcome.code ?? state.end?.exitCode ?? 1;
  const finished = state.phase === 'ended' || outcome.error !== undefined;
  const controls = useRunControls(handle, store, finished, () => onExit(130));
  useEffect(() => {
    if (finished && controls.quitRequested) onExit(exitCode);
  }, [finished, controls.quitRequested, exitCode, onExit]);

  const height = Math.max(8, rows - MARGIN);
  const back = (): void => controls.setView('dashboard');
  const samples = state.samples;
  const shown = (controls.pinned && samples.find((s) => s.id === controls.pinned)) || samples[samples.length - 1];
  const position = shown ? samples.indexOf(shown) - samples.length + 1 : 0;

  let live: React.JSX.Element;
  if (controls.view === 'help') {
    live = <RunHelp finished={finished} height={height} onClose={back} />;
  } else if (controls.view === 'failures') {
    live = <FailurePanel state={state} dir={handle.dir} width={columns} height={height} onClose={back} onRetry={finished ? onContinue : retry} />;
  } else if (controls.view === 'samples') {
    live = <SampleBrowser dir={handle.dir} recent={samples} width={columns} height={height} onRemove={remove} onClose={back} />;
  } else if (finished && scaling && onScale) {
    live = (
      <ScalePanel dir={handle.dir} done={state.counts.done} target={state.counts.target} spentUsd={state.counts.costUsd} budgetUsd={state.counts.budgetUsd}
        width={columns} onApprove={onScale} onClose={() => setScaling(false)} />
    );
  } else if (finished) {
    live = (
      <DoneScreen state={state} dir={handle.dir} format={handle.config.format} error={outcome.error} height={height} onExit={() => onExit(exitCode)}
        onFailures={() => controls.setView('failures')} onSamples={() => controls.setView('samples')} onHelp={() => controls.setView('help')}
        onScale={onScale && outcome.error === undefined ? () => setScaling(true) : undefined} />
    );
  } else {
    // The pictures take what the sample preview can spare: a sparkline and up to 5 category bars.
    const barRows = categoryBarLines(pictures.categories.length, Math.min(5, height - RUN_STATS_LINES - 9));
    const pictureRows = height - RUN_STATS_LINES > 8 ? 1 + barRows : 0;
    const sampleRows = Math.min(SAMPLE_ROWS, height - RUN_STATS_LINES - 2 - pictureRows);
    live = (
      <Box flexDirection="column">
        <RunStats state={state} width={columns} now={now} />
        {pictureRows > 0 ? <Sparkline values={pictures.throughput} intervalS={THROUGHPUT_INTERVAL_S} width={columns} /> : null}
        {pictureRows > 1 ? <CategoryBars rows={pictures.categories} width={columns} maxRows={barRows} /> : null}
        <StatusLine state={state} confirmingQuit={controls.confirmingQuit} budgetInput={controls.budgetInput} note={controls.note} />
        {shown ? (
          <SampleView sample={shown} width={columns} maxLines={sampleRows} title={position === 0 ? 'latest sample' : `sample ${position}`} />
        ) : (
          <Text color={theme.text.secondary}>No accepted sample yet.</Text>
        )}
        <Text wrap="truncate-end" color={theme.text.secondary}>{footerText(dashboardKeys)}</Text>
      </Box>
    );
  }

  // The engine answers with retry_queued and sample_removed events, which the store reduces.
  function retry(kinds: FailureKind[] | null): void {
    handle.retryFailed(kinds ?? undefined);
  }
  function remove(id: string): void {
    handle.removeSample(id);
  }

  return (
    <>
      <Static items={state.log}>
        {(line) => (
          <Text key={line.id} color={theme.status[TONES[line.tone]]} wrap="truncate-end">{`· ${sanitizeLine(line.text)}`}</Text>
        )}
      </Static>
      {live}
    </>
  );
}
