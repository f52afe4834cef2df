/**
 * Model output and config text are data, not terminal commands. Before any such text reaches the screen it
 * passes through here: escape sequences (CSI, OSC including OSC 52 clipboard writes, DCS/SOS/PM/APC strings,
 * two-character ESC commands), the C0 and C1 control characters other than newline and tab, and the Unicode
 * bidi overrides and isolates (the "Trojan Source" characters) are removed.
 */

const ESC = 0x1b;
const BEL = 0x07;
/** 8-bit C1 introducers: CSI, OSC, DCS, SOS, PM, APC, and the string terminator ST. */
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_STRING_STARTS = new Set([0x9d, 0x90, 0x98, 0x9e, 0x9f]);
/** After ESC: `]` OSC, `P` DCS, `X` SOS, `^` PM, `_` APC all take a string ended by BEL or ST. */
const ESC_STRING_STARTS = new Set([0x5d, 0x50, 0x58, 0x5e, 0x5f]);

function isBidiControl(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

function isDroppedControl(code: number): boolean {
  if (code === 0x0a || code === 0x09) return false;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** Index just past a control string (OSC/DCS/...) that starts at `i` (the first byte after its introducer). */
function skipControlString(text: string, i: number): number {
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === BEL || code === C1_ST) return i + 1;
    if (code === ESC && text.charCodeAt(i + 1) === 0x5c) return i + 2;
    i++;
  }
  return i; // unterminated: everything after the introducer is swallowed, never shown
}

/** Index just past a CSI sequence whose parameters start at `i`. */
function skipCsi(text: string, i: number): number {
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code >= 0x40 && code <= 0x7e) return i + 1; // final byte
    if (code < 0x20 || code > 0x3f) return i; // not a parameter or intermediate byte: malformed, stop here
    i++;
  }
  return i;
}

/** Index just past an ESC sequence that starts at `i` (the ESC itself). */
function skipEscape(text: string, i: number): number {
  const next = text.charCodeAt(i + 1);
  if (Number.isNaN(next)) return i + 1;
  if (next === 0x5b) return skipCsi(text, i + 2);
  if (ESC_STRING_STARTS.has(next)) return skipControlString(text, i + 2);
  let j = i + 1;
  while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++; // intermediates
  const final = text.charCodeAt(j);
  if (final >= 0x30 && final <= 0x7e) return j + 1;
  return j; // a lone ESC: drop it and keep what follows
}

export function sanitizeForTerminal(text: string): string {
  const input = text.replace(/\r\n/g, '\n');
  let out = '';
  let i = 0;
  while (i < input.length) {
    const code = input.charCodeAt(i);
    if (code === ESC) {
      i = skipEscape(input, i);
    } else if (code === C1_CSI) {
      i = skipCsi(input, i + 1);
    } else if (C1_STRING_STARTS.has(code)) {
      i = skipControlString(input, i + 1);
    } else if (isDroppedControl(code) || isBidiControl(code)) {
      i++;
    } else {
      out += input[i];
      i++;
    }
  }
  return out;
}

/** One display line: sanitised, whitespace runs (newlines, tabs) collapsed to single spaces. */
export function sanitizeLine(text: string): string {
  return sanitizeForTerminal(text).replace(/\s+/g, ' ').trim();
}

/** Cuts a single line to `width` columns with an ellipsis. Width counts UTF-16 units (good enough for hints). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return `${text.slice(0, width - 1)}…`;
}

/** Characters JSON.stringify leaves raw that a terminal (or a reader) may act on: DEL, C1, bidi controls, line/paragraph separators. */
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

/**
 * JSON text safe to print: as JSON.stringify (which already escapes C0 controls such as ESC), with DEL,
 * the C1 controls, the bidi overrides and isolates (U+202E and friends) and U+2028/2029 escaped as \uXXXX
 * inside strings. The value parses back unchanged.
 */
export function jsonForTerminal(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space) ?? 'null';
  return text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
