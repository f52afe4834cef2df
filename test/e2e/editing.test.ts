/**
 * The text field's editing keys in a real terminal: what a user types into the wizard's first question gives
 * the text bash/readline would give for the same keys.
 */
import { describe, expect, it } from 'vitest';
import { tempDir } from '../ui/harness.js';
import type { PtyApp } from './pty.js';
import { endToEndSuite } from './suite.js';

const e2e = endToEndSuite();

const K = {
  home: '\u001b[H',
  end: '\u001b[F',
  left: '\u001b[D',
  del: '\u001b[3~',
  backspace: '\u007f',
  altB: '\u001bb',
  altF: '\u001bf',
  ctrl: (c: string) => String.fromCharCode(c.charCodeAt(0) - 96),
};

/** The field's line on screen: the row starting "> " under the question. */
function fieldLine(app: PtyApp): string {
  return (app.screenLines().find((l) => l.startsWith('> ')) ?? '').trimEnd(); // the cursor is a reverse-video space
}

/** Sends keys one at a time, waiting until the screen settles after each (as a person types). */
async function keys(app: PtyApp, ...sequence: string[]): Promise<void> {
  for (const key of sequence) {
    const before = app.screenText();
    app.press(key);
    const deadline = Date.now() + 1500;
    // a key that changes nothing on screen (Ctrl+U with nothing left of the cursor) just waits a moment
    while (Date.now() < deadline && app.screenText() === before) await app.waitForText(/[\s\S]*/, 100).then(() => new Promise((r) => setTimeout(r, 20)));
  }
}

async function openField(): Promise<PtyApp> {
  const app = e2e.spawn(['new'], { cwd: tempDir('synthloom-keys-') });
  await app.waitForText('What should the fine-tuned model do?');
  return app;
}

describe('text field keys in a terminal', () => {
  it('abc, Home, X, Ctrl+A, Y, Ctrl+W, Ctrl+U gives "Xabc", as in bash', async () => {
    const app = await openField();
    await keys(app, 'a', 'b', 'c', K.home, 'X', K.ctrl('a'), 'Y', K.ctrl('w'), K.ctrl('u'));
    await app.waitForText('> Xabc');
    expect(fieldLine(app)).toBe('> Xabc');
    // End, then Ctrl+U kills everything; Ctrl+Y brings it back
    await keys(app, K.ctrl('e'), K.ctrl('u'));
    expect(fieldLine(app).trim()).toBe('>');
    await keys(app, K.ctrl('y'));
    expect(fieldLine(app)).toBe('> Xabc');
    app.kill();
  });

  it('words, Delete, Backspace and Ctrl+K; the edited text is what Enter submits', async () => {
    const app = await openField();
    app.type('code review tool');
    await app.waitForText('> code review tool');
    await keys(app, K.altB, K.altB, K.ctrl('k')); // "code "
    await app.waitForText(/> code\s*$/m);
    await keys(app, 'x', K.left, K.backspace, K.end, 'y', K.home, K.del, K.altF, 'Z');
    // "code x" -> left, backspace removes the space: "codex" -> End "codexy" -> Home, Delete "odexy" -> Alt+F end, Z
    await app.waitForText('> odexyZ');
    app.press('\r');
    await app.waitForText('Which domain or subject?');
    app.kill();
  });

  it('a pasted text with newlines stays in the field as one line and does not submit', async () => {
    const app = await openField();
    app.type('\u001b[200~line one\nline two\r\n\u001b[201~');
    await app.waitForText('> line one line two');
    await new Promise((r) => setTimeout(r, 300));
    expect(app.screenText()).toContain('What should the fine-tuned model do?');
    // without bracketed paste markers, a chunk of several characters is a paste too
    app.type('\nmore\n');
    await app.waitForText('> line one line two more');
    await new Promise((r) => setTimeout(r, 300));
    expect(app.screenText()).toContain('step 1 of');
    app.kill();
  });
});
