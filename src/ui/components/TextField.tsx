/**
 * Our one text input, with the editing keys of a shell prompt (see lineEditor.ts for the list). It replaces
 * ink-text-input, which treats Ctrl+A/U/W as letters, ignores Home/End and cannot tell Backspace from
 * Delete: Ink's useInput reports both as `delete`, so this field reads the raw key sequences Ink's input
 * parser emits (the stdin context's event emitter, the one useInput itself listens to).
 *
 * The cursor is drawn in reverse video with a plain SGR 7 sequence, which NO_COLOR allows (it is not colour);
 * the default shows as the placeholder and Enter on an empty field takes it. Pasted text is taken whole: in
 * a terminal the field turns on bracketed paste while it has focus, and anything that arrives between the
 * markers, or as several characters at once, is text whose newlines become spaces; it never submits.
 */
import { Box, Text, useStdin, useStdout } from 'ink';
import { useContext, useEffect, useRef, useState } from 'react';
import { AppContext } from '../context.js';
import { useTerminalSize } from '../hooks/useTerminalSize.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { theme } from '../theme.js';
import { applyLineAction, flattenText, interpretInput, lineState, PASTE_END, PASTE_START, visibleWindow, type LineState } from './lineEditor.js';

export interface TextFieldProps {
  value: string;
  onChange: (value: string) => void;
  onSubmit: (value: string) => void;
  placeholder?: string;
  /** One line under the field, shown in the error colour. */
  error?: string | null;
  focus?: boolean;
  prompt?: string;
  /** Columns the field may use (default: the terminal's width). */
  width?: number;
}

/** Pasted JSON may carry newlines and tabs: they become spaces; other control characters are dropped. */
export function cleanInput(text: string): string {
  return sanitizeForTerminal(flattenText(text));
}

const REVERSE = '\u001b[7m';
const NORMAL = '\u001b[27m';

export function TextField({ value, onChange, onSubmit, placeholder, error, focus = true, prompt = '>', width }: TextFieldProps) {
  const { internal_eventEmitter: events, setRawMode } = useStdin();
  const { stdout } = useStdout();
  const { columns } = useTerminalSize();
  const [, render] = useState(0);
  // Every key sees the state the previous key left, even when several arrive before React renders again.
  const state = useRef<LineState>(lineState(value));
  const pasting = useRef(false);
  const scroll = useRef(0);
  const handlers = useRef({ onChange, onSubmit });
  handlers.current = { onChange, onSubmit };
  // Texts this field reported and the parent may not have rendered yet: a render with one of them is late,
  // not a change from outside (which puts the cursor at the end).
  const reported = useRef<string[]>([]);
  if (state.current.text === value) reported.current = [];
  else if (!reported.current.includes(value)) {
    state.current = { ...lineState(value), killed: state.current.killed };
    reported.current = [];
  }

  const app = useContext(AppContext);
  useEffect(() => {
    if (!focus || !app) return;
    // While a field has focus, letters are text: the app's `q` and `?` keys stand aside.
    app.store.getState().setTyping(1);
    return () => app.store.getState().setTyping(-1);
  }, [focus, app]);

  useEffect(() => {
    if (!focus) return;
    setRawMode(true);
    const bracketed = Boolean((stdout as NodeJS.WriteStream).isTTY);
    if (bracketed) stdout.write('\u001b[?2004h');
    const onInput = (raw: string): void => {
      if (raw === PASTE_START) {
        pasting.current = true;
        return;
      }
      if (raw === PASTE_END) {
        pasting.current = false;
        return;
      }
      const step = interpretInput(raw, pasting.current);
      if (step.kind === 'ignore') return;
      if (step.kind === 'submit') {
        handlers.current.onSubmit(cleanInput(state.current.text));
        return;
      }
      const before = state.current;
      let next = before;
      for (const action of step.actions) next = applyLineAction(next, action);
      next = { ...next, text: sanitizeForTerminal(next.text) };
      state.current = next;
      if (next.text !== before.text) {
        reported.current.push(next.text);
        handlers.current.onChange(next.text);
      }
      render((n) => n + 1);
    };
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
      if (bracketed) stdout.write('\u001b[?2004l');
      setRawMode(false);
    };
  }, [focus, events, setRawMode, stdout]);

  const room = Math.max(8, (width ?? columns) - prompt.length - 2);
  const line = state.current;
  let body: string;
  if (line.text === '') {
    const hint = placeholder ? sanitizeForTerminal(flattenText(placeholder)).slice(0, room - 1) : '';
    body = focus ? `${REVERSE}${hint[0] ?? ' '}${NORMAL}${hint.slice(1)}` : hint;
  } else {
    const view = visibleWindow(line, room, scroll.current);
    scroll.current = view.start;
    const at = line.cursor - view.start;
    if (focus) {
      const under = view.chars[at] ?? ' ';
      body = `${view.chars.slice(0, at).join('')}${REVERSE}${under}${NORMAL}${view.chars.slice(at + 1).join('')}`;
    } else body = view.chars.join('');
  }
  return (
    <Box flexDirection="column">
      <Box>
        <Text color={theme.text.accent}>{`${prompt} `}</Text>
        <Text color={line.text === '' ? theme.text.secondary : undefined} wrap="truncate-end">
          {body}
        </Text>
      </Box>
      {error ? (
        <Text color={theme.status.error} wrap="wrap">
          {`✗ ${sanitizeForTerminal(error)}`}
        </Text>
      ) : null}
    </Box>
  );
}
