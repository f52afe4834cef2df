/**
 * The run screens' keybindings as data, in the shape of the app's table (`src/ui/keys.ts`): the input
 * handlers look keys up here and the footers are rendered from the same tables, so a hint can never
 * disagree with what a key does.
 */
import type { Key } from 'ink';
import { KEYS, type KeyBinding, type KeyStroke } from '../keys.js';

const up: KeyStroke[] = [{ key: 'upArrow' }, { input: 'k' }];
const down: KeyStroke[] = [{ key: 'downArrow' }, { input: 'j' }];

export const dashboardKeys = {
  pause: { keys: [{ input: 'p' }], hint: 'p', action: 'pause/resume' },
  failures: { keys: [{ input: 'f' }], hint: 'f', action: 'failures' },
  samples: { keys: [{ input: 's' }], hint: 's', action: 'samples' },
  retry: { keys: [{ input: 'r' }], hint: 'r', action: 'retry failed' },
  quit: { keys: [{ input: 'q' }, ...KEYS.quit.keys], hint: 'q', action: 'quit' },
  help: KEYS.help,
  older: { keys: [{ key: 'leftArrow' }, { input: '[' }], hint: '←/→', action: 'browse' },
  newer: { keys: [{ key: 'rightArrow' }, { input: ']' }], hint: '', action: 'later samples' },
} satisfies Record<string, KeyBinding>;

export const failureKeys = {
  up: { keys: up, hint: '↑/↓', action: 'kind' },
  down: { keys: down, hint: '', action: 'next kind' },
  retryGroup: { keys: [{ input: 'r' }, ...KEYS.choose.keys], hint: 'r', action: 'retry this kind' },
  retryAll: { keys: [{ input: 'a' }], hint: 'a', action: 'retry all' },
  back: { keys: [...KEYS.back.keys, { input: 'f' }, { input: 'q' }], hint: 'esc', action: 'back' },
} satisfies Record<string, KeyBinding>;

export const browserKeys = {
  up: { keys: up, hint: '↑/↓', action: 'sample' },
  down: { keys: down, hint: '', action: 'next sample' },
  pageUp: { keys: [{ key: 'pageUp' }, { input: '[' }], hint: 'pgup/pgdn', action: 'page' },
  pageDown: { keys: [{ key: 'pageDown' }, { input: ']' }], hint: '', action: 'next page' },
  remove: { keys: [{ input: 'd' }, { key: 'delete' }], hint: 'd', action: 'delete' },
  back: { keys: [...KEYS.back.keys, { input: 's' }, { input: 'q' }], hint: 'esc', action: 'back' },
} satisfies Record<string, KeyBinding>;

export const doneKeys = {
  failures: { keys: [{ input: 'f' }], hint: 'f', action: 'failures' },
  samples: { keys: [{ input: 's' }], hint: 's', action: 'samples' },
  push: { keys: [{ input: 'h' }], hint: 'h', action: 'push to the Hub' },
  exit: { keys: [{ key: 'return' }, { input: 'q' }, ...KEYS.quit.keys], hint: 'enter/q', action: 'exit' },
  scale: { keys: [{ input: 'x' }], hint: 'x', action: 'scale to N' },
  help: KEYS.help,
} satisfies Record<string, KeyBinding>;

export const confirmKeys = {
  yes: KEYS.yes,
  no: { keys: [...KEYS.no.keys, ...KEYS.back.keys], hint: 'n/esc', action: 'no' },
} satisfies Record<string, KeyBinding>;

function strokeMatches(stroke: KeyStroke, input: string, key: Key): boolean {
  if (Boolean(stroke.ctrl) !== key.ctrl) return false;
  if (stroke.key !== undefined && !key[stroke.key]) return false;
  if (stroke.input !== undefined && input !== stroke.input) return false;
  return stroke.key !== undefined || stroke.input !== undefined;
}

/** The id of the binding this keypress triggers in `table`, if any. */
export function actionFor<T extends Record<string, KeyBinding>>(table: T, input: string, key: Key): keyof T | null {
  for (const id of Object.keys(table) as (keyof T & string)[]) {
    if (table[id]!.keys.some((stroke) => strokeMatches(stroke, input, key))) return id;
  }
  return null;
}

/** "p pause/resume · f failures · ..." for the bindings available now (those with a hint). */
export function footerText<T extends Record<string, KeyBinding>>(table: T, available: (id: keyof T) => boolean = () => true): string {
  return (Object.keys(table) as (keyof T & string)[])
    .filter((id) => table[id]!.hint !== '' && available(id))
    .map((id) => `${table[id]!.hint} ${table[id]!.action}`)
    .join(' · ');
}
