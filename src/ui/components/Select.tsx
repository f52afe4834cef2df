/**
 * Our one list picker, so screens never depend on a third-party input. Labels are sanitised and cut to one
 * line; the highlighted row is marked with `›` so it reads without colour too; long lists scroll.
 */
import { Box, Text, useInput } from 'ink';
import { useMemo, useRef, useState } from 'react';
import { sanitizeLine } from '../sanitize.js';
import { theme } from '../theme.js';

export interface SelectItem<V extends string = string> {
  label: string;
  value: V;
  /** Dimmed text after the label (a count, a status). */
  hint?: string;
}

export interface SelectProps<V extends string> {
  items: readonly SelectItem<V>[];
  /** The value highlighted first (the default answer). */
  initialValue?: V;
  onSelect: (value: V) => void;
  onHighlight?: (value: V) => void;
  /** Rows shown at most; the list scrolls. */
  limit?: number;
  isFocused?: boolean;
}

/**
 * Keys are handled here rather than by ink-select-input, whose handler reads the highlighted row from the
 * last render: an arrow and Enter arriving in one chunk (fast typing, a paste, tmux send-keys) selected the
 * row that was highlighted before the arrow. The index lives in a ref that every key sees at once.
 */
export function Select<V extends string>({ items, initialValue, onSelect, onHighlight, limit, isFocused = true }: SelectProps<V>) {
  const clean = useMemo(
    () => items.map((i) => ({ label: sanitizeLine(i.label), value: i.value, hint: i.hint ? sanitizeLine(i.hint) : undefined })),
    [items],
  );
  const start = Math.max(0, items.findIndex((i) => i.value === initialValue));
  const index = useRef(start);
  const scroll = useRef(0);
  const [, render] = useState(0);
  if (index.current >= clean.length) index.current = Math.max(0, clean.length - 1);
  const move = (to: number) => {
    if (clean.length === 0) return;
    index.current = (to + clean.length) % clean.length;
    render((n) => n + 1);
    onHighlight?.(clean[index.current]!.value);
  };
  useInput(
    (_input, key) => {
      if (key.upArrow) move(index.current - 1);
      else if (key.downArrow) move(index.current + 1);
      else if (key.return && clean[index.current]) onSelect(clean[index.current]!.value);
    },
    { isActive: isFocused },
  );
  // The visible window moves only when the highlight would leave it.
  const rows = Math.max(1, Math.min(limit ?? clean.length, clean.length));
  if (index.current < scroll.current) scroll.current = index.current;
  if (index.current >= scroll.current + rows) scroll.current = index.current - rows + 1;
  scroll.current = Math.min(scroll.current, Math.max(0, clean.length - rows));
  const top = scroll.current;
  return (
    <Box flexDirection="column">
      {clean.slice(top, top + rows).map((item, i) => {
        const selected = top + i === index.current;
        return (
          <Box key={item.value}>
            <Box marginRight={1} flexShrink={0}>
              <Text color={theme.text.accent}>{selected ? '›' : ' '}</Text>
            </Box>
            <Text wrap="truncate-end" color={selected ? theme.text.accent : theme.text.primary} bold={selected && theme.emphasis}>
              {item.label}
              {item.hint ? <Text color={theme.text.secondary} bold={false}>{`  ${item.hint}`}</Text> : null}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}
