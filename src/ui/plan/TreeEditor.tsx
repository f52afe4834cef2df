/**
 * The expanded topic tree, editable before any sample is generated: remove, rename and reweight topics;
 * targets and the estimate follow every edit (retarget), so the user sees what the change costs.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { retarget, type Plan } from '../../core/plan.js';
import { editTree, type TreeEdit } from '../../core/tree.js';
import type { Topic } from '../../core/types.js';
import { TextField } from '../components/TextField.js';
import { matches } from '../keys.js';
import { theme } from '../theme.js';
import { costText, treeRows, treeRowText } from './planLines.js';

export interface TreeEditorProps {
  plan: Plan;
  tree: Topic;
  height: number;
  onChange: (plan: Plan) => void;
  onDone: () => void;
}

const WEIGHT_STEP = 0.5;

export function TreeEditor({ plan, tree, height, onChange, onDone }: TreeEditorProps) {
  const rows = treeRows(plan, tree);
  const [cursor, setCursor] = useState(0);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const at = Math.min(cursor, rows.length - 1);
  const row = rows[at];

  const apply = (edit: TreeEdit): void => {
    try {
      if (edit.op === 'remove' && tree.children.length === 1 && tree.children[0]?.id === edit.id) {
        throw new Error('keep at least one topic');
      }
      onChange(retarget(plan, editTree(tree, edit)));
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  useInput(
    (input, key) => {
      if (!row) return onDone();
      if (key.upArrow) setCursor(Math.max(0, at - 1));
      else if (key.downArrow) setCursor(Math.min(rows.length - 1, at + 1));
      else if (matches('treeRemove', input, key)) apply({ op: 'remove', id: row.id });
      else if (matches('treeRename', input, key)) setRenaming(row.name);
      else if (matches('treeHeavier', input, key)) apply({ op: 'reweight', id: row.id, weight: row.weight + WEIGHT_STEP });
      else if (matches('treeLighter', input, key)) {
        if (row.weight - WEIGHT_STEP > 0) apply({ op: 'reweight', id: row.id, weight: row.weight - WEIGHT_STEP });
        else setError('the lightest weight is 0.5; remove the topic to drop it');
      } else if (matches('treeDone', input, key) || matches('back', input, key)) onDone();
    },
    { isActive: renaming === null },
  );
  useInput(
    (input, key) => {
      if (matches('back', input, key)) setRenaming(null);
    },
    { isActive: renaming !== null },
  );

  const listHeight = Math.max(3, height - 3);
  const start = Math.min(Math.max(0, at - Math.floor(listHeight / 2)), Math.max(0, rows.length - listHeight));
  const shown = rows.slice(start, start + listHeight);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" color={theme.text.accent}>
        {`${plan.leaves.length} leaf topics · ${plan.estimate.calls.total} calls · ${costText(plan)}`}
      </Text>
      {shown.map((r) => (
        <Text key={r.id} wrap="truncate-end" color={r.id === row?.id ? theme.text.accent : undefined} bold={r.id === row?.id && theme.emphasis}>
          {`${r.id === row?.id ? '›' : ' '} ${treeRowText(r)}`}
        </Text>
      ))}
      {renaming !== null && row ? (
        <TextField
          prompt="new name:"
          value={renaming}
          onChange={setRenaming}
          onSubmit={(name) => {
            apply({ op: 'rename', id: row.id, name });
            setRenaming(null);
          }}
        />
      ) : null}
      {error ? <Text color={theme.status.error} wrap="truncate-end">{`✗ ${error}`}</Text> : null}
    </Box>
  );
}
