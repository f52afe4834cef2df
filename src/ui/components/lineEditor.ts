/**
 * The line editing of a shell prompt (GNU readline's emacs keys), as pure functions over {text, cursor}, so
 * the keys can be tested without a terminal. The cursor counts code points, not UTF-16 units, so a move
 * never splits an emoji in two.
 *
 * Keys: Ctrl+A / Home start, Ctrl+E / End end, Ctrl+B / ← and Ctrl+F / → one character, Alt+B / Alt+F
 * (and Ctrl+← / Ctrl+→) one word, Backspace / Ctrl+H and Delete / Ctrl+D one character, Ctrl+U kill to the
 * start, Ctrl+K kill to the end, Ctrl+W kill the previous whitespace-separated word, Alt+D kill the next
 * word, Alt+Backspace kill the previous word, Ctrl+Y yank the last kill.
 *
 * Pasted text is taken whole: a bracketed paste, or any input that arrives as more than one character, is
 * text; its newlines and tabs become one space each run (a field is one line), newlines at its end are
 * dropped, and it never submits. Only a lone Enter submits.
 */

export interface LineState {
  text: string;
  /** In code points, 0..length. */
  cursor: number;
  /** The last killed text, for Ctrl+Y. */
  killed: string;
}

export type LineAction =
  | { type: 'insert'; text: string }
  | { type: 'home' | 'end' | 'left' | 'right' | 'wordLeft' | 'wordRight' }
  | { type: 'backspace' | 'delete' | 'killStart' | 'killEnd' | 'killWordBack' | 'killWordForward' | 'killAltWordBack' | 'yank' };

export function lineState(text: string, cursor = [...text].length): LineState {
  return { text, cursor, killed: '' };
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/u.test(ch);
/** readline's words for Alt+B/F/D: letters and digits. */
const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

function wordLeft(chars: string[], at: number): number {
  let i = at;
  while (i > 0 && !isWordChar(chars[i - 1])) i--;
  while (i > 0 && isWordChar(chars[i - 1])) i--;
  return i;
}

function wordRight(chars: string[], at: number): number {
  let i = at;
  while (i < chars.length && !isWordChar(chars[i])) i++;
  while (i < chars.length && isWordChar(chars[i])) i++;
  return i;
}

/** Ctrl+W (unix-word-rubout): back over spaces, then over non-spaces. */
function spaceWordLeft(chars: string[], at: number): number {
  let i = at;
  while (i > 0 && isSpace(chars[i - 1])) i--;
  while (i > 0 && !isSpace(chars[i - 1])) i--;
  return i;
}

/** Newlines and tabs become spaces, other control characters are dropped: a field holds one line. */
export function flattenText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

export function applyLineAction(state: LineState, action: LineAction): LineState {
  const chars = [...state.text];
  const at = Math.min(Math.max(0, state.cursor), chars.length);
  const cut = (from: number, to: number, killed = state.killed): LineState => ({
    text: [...chars.slice(0, from), ...chars.slice(to)].join(''),
    cursor: from,
    killed,
  });
  const move = (cursor: number): LineState => ({ ...state, cursor });
  switch (action.type) {
    case 'insert': {
      const add = [...flattenText(action.text)];
      return { text: [...chars.slice(0, at), ...add, ...chars.slice(at)].join(''), cursor: at + add.length, killed: state.killed };
    }
    case 'home':
      return move(0);
    case 'end':
      return move(chars.length);
    case 'left':
      return move(Math.max(0, at - 1));
    case 'right':
      return move(Math.min(chars.length, at + 1));
    case 'wordLeft':
      return move(wordLeft(chars, at));
    case 'wordRight':
      return move(wordRight(chars, at));
    case 'backspace':
      return at > 0 ? cut(at - 1, at) : state;
    case 'delete':
      return at < chars.length ? cut(at, at + 1) : state;
    case 'killStart':
      return at > 0 ? cut(0, at, chars.slice(0, at).join('')) : state;
    case 'killEnd':
      return at < chars.length ? cut(at, chars.length, chars.slice(at).join('')) : state;
    case 'killWordBack': {
      const from = spaceWordLeft(chars, at);
      return from < at ? cut(from, at, chars.slice(from, at).join('')) : state;
    }
    case 'killAltWordBack': {
      const from = wordLeft(chars, at);
      return from < at ? cut(from, at, chars.slice(from, at).join('')) : state;
    }
    case 'killWordForward': {
      const to = wordRight(chars, at);
      return to > at ? cut(at, to, chars.slice(at, to).join('')) : state;
    }
    case 'yank':
      return state.killed ? applyLineAction({ ...state, cursor: at }, { type: 'insert', text: state.killed }) : state;
  }
}

/** Escape sequences (as Ink's input parser splits them) and the keys they are. */
const SEQUENCES: Record<string, LineAction['type']> = {
  '\u001b[H': 'home',
  '\u001bOH': 'home',
  '\u001b[1~': 'home',
  '\u001b[7~': 'home',
  '\u001b[F': 'end',
  '\u001bOF': 'end',
  '\u001b[4~': 'end',
  '\u001b[8~': 'end',
  '\u001b[D': 'left',
  '\u001bOD': 'left',
  '\u001b[C': 'right',
  '\u001bOC': 'right',
  '\u001b[3~': 'delete',
  '\u001bb': 'wordLeft',
  '\u001bB': 'wordLeft',
  '\u001b[1;3D': 'wordLeft',
  '\u001b[1;5D': 'wordLeft',
  '\u001b[1;9D': 'wordLeft',
  '\u001bf': 'wordRight',
  '\u001bF': 'wordRight',
  '\u001b[1;3C': 'wordRight',
  '\u001b[1;5C': 'wordRight',
  '\u001b[1;9C': 'wordRight',
  '\u001bd': 'killWordForward',
  '\u001b\u007f': 'killAltWordBack',
  '\u001b\b': 'killAltWordBack',
};

/** Control characters (one byte) and the keys they are. */
const CONTROLS: Record<string, LineAction['type']> = {
  '\u0001': 'home', // Ctrl+A
  '\u0005': 'end', // Ctrl+E
  '\u0002': 'left', // Ctrl+B
  '\u0006': 'right', // Ctrl+F
  '\u007f': 'backspace',
  '\b': 'backspace', // Ctrl+H
  '\u0004': 'delete', // Ctrl+D
  '\u0015': 'killStart', // Ctrl+U
  '\u000b': 'killEnd', // Ctrl+K
  '\u0017': 'killWordBack', // Ctrl+W
  '\u0019': 'yank', // Ctrl+Y
};

export const PASTE_START = '\u001b[200~';
export const PASTE_END = '\u001b[201~';

/** A copied line usually ends in a newline: dropped rather than left as a trailing space. */
const TRAILING_NEWLINES = /[\r\n]+$/;

export type InputStep = { kind: 'actions'; actions: LineAction[] } | { kind: 'submit' } | { kind: 'ignore' };

/**
 * What one input event (a key, or a chunk of text Ink received at once) does to the field. `pasting`: the
 * event came between the bracketed-paste markers, so all of it is text.
 */
export function interpretInput(raw: string, pasting = false): InputStep {
  if (raw === '') return { kind: 'ignore' };
  if (pasting) return { kind: 'actions', actions: [{ type: 'insert', text: raw.replace(TRAILING_NEWLINES, '') }] };
  if (raw === '\r' || raw === '\n') return { kind: 'submit' };
  if (raw.startsWith('\u001b')) {
    const type = SEQUENCES[raw];
    return type ? { kind: 'actions', actions: [{ type } as LineAction] } : { kind: 'ignore' };
  }
  if (raw.length === 1) {
    const type = CONTROLS[raw];
    if (type) return { kind: 'actions', actions: [{ type } as LineAction] };
    if (raw < ' ' || raw === '\u009b') return { kind: 'ignore' }; // Ctrl+C, Tab, ... belong to the screen
    return { kind: 'actions', actions: [{ type: 'insert', text: raw }] };
  }
  // Several characters at once: typed faster than read, or pasted. Editing keys among them still edit
  // (Ctrl+W after a word typed in a hurry), text is inserted, newlines become spaces and never submit.
  const actions: LineAction[] = [];
  let text = '';
  const flush = (): void => {
    if (text) actions.push({ type: 'insert', text });
    text = '';
  };
  for (const ch of raw.replace(TRAILING_NEWLINES, '')) {
    const type = CONTROLS[ch];
    if (type) {
      flush();
      actions.push({ type } as LineAction);
    } else text += ch;
  }
  flush();
  return actions.length ? { kind: 'actions', actions } : { kind: 'ignore' };
}

/** The part of the line that fits `width` columns and keeps the cursor in view; `start` is the first shown. */
export function visibleWindow(state: LineState, width: number, previousStart = 0): { start: number; chars: string[] } {
  const chars = [...state.text];
  const room = Math.max(1, width - 1); // one column for the cursor past the end
  let start = Math.min(previousStart, state.cursor);
  if (state.cursor - start >= room) start = state.cursor - room + 1;
  start = Math.max(0, Math.min(start, Math.max(0, chars.length + 1 - room)));
  if (state.cursor < start) start = state.cursor;
  return { start, chars: chars.slice(start, start + room) };
}
