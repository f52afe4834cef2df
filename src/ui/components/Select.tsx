/**
 * Our one list picker (wraps ink-select-input, so it can be swapped without touching screens). Labels are
 * sanitised and cut to one line; the highlighted row is marked with `›` so it reads without colour too.
 */
import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import { useMemo } from 'react';
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

function Indicator({ isSelected = false }: { isSelected?: boolean }) {
  return (
    <Box marginRight={1}>
      <Text color={theme.text.accent}>{isSelected ? '›' : ' '}</Text>
    </Box>
  );
}

/** ink-select-input spreads each item into the item component, so `hint` arrives as a prop. */
function Item({ label, hint, isSelected = false }: { label: string; hint?: string; isSelected?: boolean }) {
  return (
    <Text wrap="truncate-end" color={isSelected ? theme.text.accent : theme.text.primary} bold={isSelected && theme.emphasis}>
      {label}
      {hint ? <Text color={theme.text.secondary} bold={false}>{`  ${hint}`}</Text> : null}
    </Text>
  );
}

export function Select<V extends string>({ items, initialValue, onSelect, onHighlight, limit, isFocused = true }: SelectProps<V>) {
  const clean = useMemo(
    () =>
      items.map((i) => ({
        key: i.value,
        label: sanitizeLine(i.label),
        value: i.value,
        hint: i.hint ? sanitizeLine(i.hint) : undefined,
      })),
    [items],
  );
  const index = Math.max(0, items.findIndex((i) => i.value === initialValue));
  return (
    <SelectInput
      items={clean}
      initialIndex={index}
      limit={limit}
      isFocused={isFocused}
      indicatorComponent={Indicator}
      itemComponent={Item as never}
      onSelect={(item) => onSelect(item.value)}
      onHighlight={onHighlight ? (item) => onHighlight(item.value) : undefined}
    />
  );
}
