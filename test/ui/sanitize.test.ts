import { describe, expect, it } from 'vitest';
import { sanitizeForTerminal, sanitizeLine, truncate } from '../../src/ui/sanitize.js';

describe('sanitizeForTerminal', () => {
  it('keeps ordinary text, newlines, tabs and non-ASCII letters', () => {
    const text = 'Hello, wörld!\n\tcode: `x = 1` — 你好 🎉';
    expect(sanitizeForTerminal(text)).toBe(text);
  });

  it('removes CSI sequences such as colours, cursor moves and screen clears', () => {
    expect(sanitizeForTerminal('\u001b[31mred\u001b[0m \u001b[2J\u001b[H\u001b[?1049hdone')).toBe('red done');
  });

  it('removes an OSC 52 clipboard write ended by BEL or by ST', () => {
    expect(sanitizeForTerminal('a\u001b]52;c;ZXZpbA==\u0007b')).toBe('ab');
    expect(sanitizeForTerminal('a\u001b]52;c;ZXZpbA==\u001b\\b')).toBe('ab');
  });

  it('removes OSC 8 hyperlinks and window-title changes but keeps the link text', () => {
    expect(sanitizeForTerminal('\u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\')).toBe('click');
    expect(sanitizeForTerminal('\u001b]0;pwned\u0007title')).toBe('title');
  });

  it('swallows an unterminated OSC or DCS string instead of showing it', () => {
    expect(sanitizeForTerminal('ok\u001b]52;c;AAAA')).toBe('ok');
    expect(sanitizeForTerminal('ok\u001bPq#0;2;0;0;0')).toBe('ok');
  });

  it('removes DCS, APC and two-character ESC commands', () => {
    expect(sanitizeForTerminal('a\u001bP1$r0m\u001b\\b\u001b_apc\u001b\\c\u001bcd\u001b(Be')).toBe('abcde');
  });

  it('removes 8-bit C1 CSI and OSC introducers with their sequences', () => {
    expect(sanitizeForTerminal('a\u009b31mb\u009d52;c;QQ==\u0007c')).toBe('abc');
  });

  it('removes other C0 and C1 controls, DEL and lone carriage returns, and turns CRLF into LF', () => {
    expect(sanitizeForTerminal('a\u0000b\u0008c\u0007d\u007fe\u0085f\rg\r\nh')).toBe('abcdefg\nh');
  });

  it('removes bidi overrides and isolates', () => {
    expect(sanitizeForTerminal('if (\u202Eadmin\u202C) \u2066x\u2069 \u202Ay\u202D')).toBe('if (admin) x y');
  });

  it('drops a lone ESC at the end and keeps what follows a malformed one', () => {
    expect(sanitizeForTerminal('end\u001b')).toBe('end');
    expect(sanitizeForTerminal('a\u001b\u0001b')).toBe('ab');
  });
});

describe('sanitizeLine and truncate', () => {
  it('collapses newlines and tabs to one line', () => {
    expect(sanitizeLine('  first\n\tsecond \u001b[1mthird\u001b[0m ')).toBe('first second third');
  });

  it('cuts long text with an ellipsis and leaves short text alone', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
  });
});
