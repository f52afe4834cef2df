import { describe, expect, it } from 'vitest';
import { applyLineAction, interpretInput, lineState, visibleWindow, type LineState } from '../../../src/ui/components/lineEditor.js';

/** Feeds raw input events through the editor as the field does; returns the line and whether Enter came. */
function feed(events: string[], start: LineState = lineState('')): { state: LineState; submitted: boolean } {
  let state = start;
  let submitted = false;
  for (const raw of events) {
    const step = interpretInput(raw);
    if (step.kind === 'submit') submitted = true;
    if (step.kind === 'actions') for (const a of step.actions) state = applyLineAction(state, a);
  }
  return { state, submitted };
}

const HOME = '\u001b[H';
const END = '\u001b[F';
const CTRL = (c: string) => String.fromCharCode(c.charCodeAt(0) - 96);

describe('line editor keys, as bash/readline has them', () => {
  it('abc, Home, X, Ctrl+A, Y, Ctrl+W, Ctrl+U gives "Xabc" (readline: Ctrl+W kills "Y", Ctrl+U nothing left of the cursor)', () => {
    const { state } = feed(['a', 'b', 'c', HOME, 'X', CTRL('a'), 'Y', CTRL('w'), CTRL('u')]);
    expect(state.text).toBe('Xabc');
    expect(state.cursor).toBe(0);
  });

  it('Ctrl+E / End, Ctrl+U kills to the start, Ctrl+Y yanks it back', () => {
    let r = feed(['hello world', HOME, CTRL('e'), CTRL('u')]);
    expect(r.state.text).toBe('');
    r = feed([CTRL('y')], r.state);
    expect(r.state.text).toBe('hello world');
    r = feed([HOME, END, 'X'], r.state);
    expect(r.state.text).toBe('hello worldX');
  });

  it('Ctrl+K kills to the end; Ctrl+W kills back to whitespace; Alt+Backspace stops at punctuation', () => {
    expect(feed(['one two three', '\u001bb', CTRL('k')]).state.text).toBe('one two ');
    expect(feed(['foo-bar baz', CTRL('w')]).state.text).toBe('foo-bar ');
    expect(feed(['foo-bar', CTRL('w')]).state.text).toBe('');
    expect(feed(['foo-bar', '\u001b\u007f']).state.text).toBe('foo-');
  });

  it('Alt+B / Alt+F move by words, Alt+D kills the next word', () => {
    let r = feed(['alpha beta gamma', '\u001bb', '\u001bb']);
    expect(r.state.cursor).toBe(6);
    r = feed(['\u001bf'], r.state);
    expect(r.state.cursor).toBe(10);
    r = feed([HOME, '\u001bd'], r.state);
    expect(r.state.text).toBe(' beta gamma');
  });

  it('Backspace deletes left of the cursor, Delete and Ctrl+D under it', () => {
    expect(feed(['abcd', '\u001b[D', '\u001b[D', '\u007f']).state.text).toBe('acd');
    expect(feed(['abcd', '\u001b[D', '\u001b[D', '\u001b[3~']).state.text).toBe('abd');
    expect(feed(['abcd', HOME, CTRL('d')]).state.text).toBe('bcd');
    expect(feed(['ab', '\b']).state.text).toBe('a');
  });

  it('a paste is taken whole: newlines become one space each run and never submit', () => {
    const r = feed(['first line\r\nsecond\n\nthird\tend']);
    expect(r.state.text).toBe('first line second third end');
    expect(r.submitted).toBe(false);
    expect(feed(['pasted\r']).submitted).toBe(false);
    expect(feed(['typed', '\r']).submitted).toBe(true);
    // inside bracketed-paste markers even a lone newline is text
    expect(interpretInput('a\rb\r\n', true)).toEqual({ kind: 'actions', actions: [{ type: 'insert', text: 'a\rb' }] });
    expect(interpretInput('\r', true)).toEqual({ kind: 'actions', actions: [{ type: 'insert', text: '' }] });
  });

  it('editing keys typed faster than read still edit; Ctrl+C and unknown sequences are not text', () => {
    expect(feed([`abc def${CTRL('w')}x`]).state.text).toBe('abc x');
    expect(feed(['a', '\u0003', '\u001b[A', '\u001b[Z', '\t']).state.text).toBe('a');
  });

  it('moves by code points: an emoji is never split', () => {
    const r = feed(['a😀b', '\u001b[D', '\u007f']);
    expect(r.state.text).toBe('ab');
  });

  it('a long line scrolls so the cursor stays in view', () => {
    const state = lineState('x'.repeat(50) + 'END');
    const view = visibleWindow(state, 20);
    expect(view.chars.join('')).toMatch(/END$/);
    expect(view.chars.length).toBeLessThanOrEqual(19);
    const atStart = visibleWindow({ ...state, cursor: 0 }, 20, view.start);
    expect(atStart.start).toBe(0);
  });
});
