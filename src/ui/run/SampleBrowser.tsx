import React, { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { readSamples } from '../../core/session/index.js';
import type { Sample } from '../../core/types.js';
import { theme } from '../theme.js';
import { actionFor, browserKeys, confirmKeys, footerText } from './keys.js';
import { SampleView } from './SampleView.js';
import { sampleHeading } from './sampleLines.js';

export interface SampleBrowserProps {
  dir: string;
  /** The latest accepted samples held in memory, newest last (may include some not yet read back). */
  recent: readonly Sample[];
  width: number;
  height: number;
  /** Delete (after the user confirmed): the engine marks it removed in the session. */
  onRemove: (id: string) => void;
  onClose: () => void;
}

/** Everything accepted so far, newest first: the session file plus what is in memory. */
function loadAll(dir: string, recent: readonly Sample[]): Sample[] {
  let saved: Sample[] = [];
  try {
    saved = readSamples(dir);
  } catch {
    saved = []; // no samples file yet: the in-memory ones are all there is
  }
  const seen = new Set(saved.map((s) => s.id));
  return [...saved, ...recent.filter((s) => !seen.has(s.id))].reverse();
}

/** Scroll through accepted samples with category and topic; delete one after a confirmation. */
export function SampleBrowser({ dir, recent, width, height, onRemove, onClose }: SampleBrowserProps): React.JSX.Element {
  const [samples, setSamples] = useState(() => loadAll(dir, recent));
  const [index, setIndex] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const listRows = Math.max(1, Math.min(8, Math.floor((height - 4) / 3)));
  const current = samples[Math.min(index, samples.length - 1)];
  const move = (by: number): void => setIndex(Math.max(0, Math.min(samples.length - 1, index + by)));

  useInput((input, key) => {
    if (confirming) {
      const answer = actionFor(confirmKeys, input, key);
      if (answer === 'yes' && current) {
        onRemove(current.id);
        setSamples(samples.filter((s) => s.id !== current.id));
        setIndex(Math.max(0, Math.min(index, samples.length - 2)));
        setNote(`deleted ${current.id}: recorded in removed.jsonl, left out of exports`);
      }
      if (answer !== null) setConfirming(false);
      return;
    }
    const action = actionFor(browserKeys, input, key);
    if (action !== 'remove') setNote('');
    if (action === 'back') onClose();
    else if (action === 'up') move(-1);
    else if (action === 'down') move(1);
    else if (action === 'pageUp') move(-listRows);
    else if (action === 'pageDown') move(listRows);
    else if (action === 'remove' && current) setConfirming(true);
  });

  const first = Math.max(0, Math.min(index - Math.floor(listRows / 2), samples.length - listRows));
  const sampleRows = Math.max(1, height - listRows - 3);
  return (
    <Box flexDirection="column">
      <Text bold={theme.emphasis}>{`Samples: ${samples.length} accepted, newest first`}</Text>
      {samples.length === 0 ? <Text color={theme.text.secondary}>No accepted samples yet.</Text> : null}
      {samples.slice(first, first + listRows).map((s, i) => {
        const at = first + i;
        const turns = s.messages.filter((m) => m.role === 'user').length;
        return (
          <Text key={s.id} wrap="truncate-end" inverse={at === index && theme.emphasis}>
            {`${at === index ? '›' : ' '} ${String(samples.length - at).padStart(5)}  ${sampleHeading(s)}`}
            <Text color={theme.text.secondary}>{` · ${turns} user turn(s) · ${s.id}`}</Text>
          </Text>
        );
      })}
      {current ? <SampleView sample={current} width={width} maxLines={sampleRows} /> : null}
      {confirming && current ? (
        <Text color={theme.status.warn} wrap="truncate-end">{`Delete sample ${current.id}? It stays in the session as removed and is left out of exports. y/n`}</Text>
      ) : (
        <Text wrap="truncate-end" color={note ? theme.status.ok : theme.text.secondary}>{note || footerText(browserKeys)}</Text>
      )}
    </Box>
  );
}
