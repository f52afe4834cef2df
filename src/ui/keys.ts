/**
 * Keybindings as data: screens ask `matches('back', input, key)` instead of testing raw keys, and the footer
 * draws its hints from the same table, so a hint can never disagree with what a key does.
 */
import type { Key } from 'ink';

type KeyFlag =
  | 'return'
  | 'escape'
  | 'tab'
  | 'upArrow'
  | 'downArrow'
  | 'leftArrow'
  | 'rightArrow'
  | 'pageUp'
  | 'pageDown'
  | 'backspace'
  | 'delete';

/** One physical key: a printable character, a named key, or either with Ctrl. */
export interface KeyStroke {
  input?: string;
  key?: KeyFlag;
  ctrl?: boolean;
}

export interface KeyBinding {
  keys: KeyStroke[];
  /** How the key is written in the footer. */
  hint: string;
  /** What it does, in the user's words. */
  action: string;
}

export const KEYS = {
  quit: { keys: [{ input: 'c', ctrl: true }], hint: 'ctrl+c', action: 'quit' },
  back: { keys: [{ key: 'escape' }], hint: 'esc', action: 'back' },
  choose: { keys: [{ key: 'return' }], hint: 'enter', action: 'choose' },
  accept: { keys: [{ key: 'return' }], hint: 'enter', action: 'accept' },
  move: { keys: [{ key: 'upArrow' }, { key: 'downArrow' }], hint: '↑↓', action: 'move' },
  nextPanel: { keys: [{ key: 'tab' }], hint: 'tab', action: 'next view' },
  scroll: { keys: [{ key: 'pageUp' }, { key: 'pageDown' }], hint: 'pgup/pgdn', action: 'scroll' },
  scrollUp: { keys: [{ key: 'pageUp' }, { input: '[' }], hint: '[', action: 'scroll up' },
  scrollDown: { keys: [{ key: 'pageDown' }, { input: ']' }], hint: ']', action: 'scroll down' },
  yes: { keys: [{ input: 'y' }, { input: 'Y' }], hint: 'y', action: 'yes' },
  no: { keys: [{ input: 'n' }, { input: 'N' }], hint: 'n', action: 'no' },
  treeRemove: { keys: [{ input: 'd' }, { key: 'delete' }], hint: 'd', action: 'remove' },
  treeRename: { keys: [{ input: 'r' }], hint: 'r', action: 'rename' },
  treeHeavier: { keys: [{ input: '+' }, { input: '=' }], hint: '+', action: 'weight up' },
  treeLighter: { keys: [{ input: '-' }], hint: '-', action: 'weight down' },
  treeDone: { keys: [{ key: 'return' }], hint: 'enter', action: 'keep this tree' },
  /** Only where no text field has focus (the router checks). */
  help: { keys: [{ input: '?' }], hint: '?', action: 'help' },
  quitKey: { keys: [{ input: 'q' }, { input: 'c', ctrl: true }], hint: 'q', action: 'quit' },
  close: { keys: [{ key: 'escape' }, { input: 'q' }], hint: 'esc/q', action: 'back' },
} satisfies Record<string, KeyBinding>;

export type BindingId = keyof typeof KEYS;

function strokeMatches(stroke: KeyStroke, input: string, key: Key): boolean {
  if (Boolean(stroke.ctrl) !== key.ctrl) return false;
  if (stroke.key !== undefined && !key[stroke.key]) return false;
  if (stroke.input !== undefined && input !== stroke.input) return false;
  return stroke.key !== undefined || stroke.input !== undefined;
}

export function matches(id: BindingId, input: string, key: Key): boolean {
  return KEYS[id].keys.some((stroke) => strokeMatches(stroke, input, key));
}

/** `enter choose · esc back · ctrl+c quit`: the footer line for the bindings a screen has active. */
export function hintText(ids: readonly BindingId[]): string {
  return ids.map((id) => `${KEYS[id].hint} ${KEYS[id].action}`).join(' · ');
}

/** One row of the `?` help: every key that does the action (the footer shows only the first). */
export interface HelpRow {
  keys: string;
  action: string;
}

const NAMED: Record<string, string> = {
  return: 'enter',
  escape: 'esc',
  tab: 'tab',
  upArrow: '↑',
  downArrow: '↓',
  leftArrow: '←',
  rightArrow: '→',
  pageUp: 'pgup',
  pageDown: 'pgdn',
  backspace: 'backspace',
  delete: 'delete',
};

export function strokeName(stroke: KeyStroke): string {
  const base = stroke.key ? NAMED[stroke.key] ?? stroke.key : stroke.input === ' ' ? 'space' : stroke.input ?? '';
  return stroke.ctrl ? `ctrl+${base}` : base;
}

/** The help rows for a table of bindings, in its order; rows with no hint (a pair's second half) fold in. */
export function helpRows(bindings: readonly KeyBinding[]): HelpRow[] {
  const rows: HelpRow[] = [];
  for (const b of bindings) {
    const names = [...new Set(b.keys.map(strokeName))];
    if (b.hint === '' && rows.length > 0) {
      const last = rows[rows.length - 1]!;
      last.keys = [...new Set([...last.keys.split(' '), ...names])].join(' ');
      last.action = `${last.action} / ${b.action}`;
    } else rows.push({ keys: names.join(' '), action: b.action });
  }
  return rows;
}
