/** `q` leaves screens without a focused text field; `?` shows the screen's keys from its footer's table. */
import { describe, expect, it } from 'vitest';
import { KEYS, helpRows } from '../../src/ui/keys.js';
import { KEY, renderApp } from './harness.js';

describe('q and ? on the app screens', () => {
  it('q on Home quits (it did nothing before)', async () => {
    const a = renderApp();
    await a.waitFor('synthloom · Home');
    await a.send('q');
    expect(a.exits).toEqual([0]);
    a.unmount();
  });

  it('? opens the help with every key of the footer, esc closes it; in a text field ? and q are text', async () => {
    const a = renderApp();
    await a.waitFor('synthloom · Home');
    let frame = await a.press('?');
    expect(frame).toContain('synthloom · Keys · Home');
    for (const row of helpRows([KEYS.move, KEYS.choose, KEYS.quitKey])) expect(frame).toContain(row.action);
    expect(frame).toMatch(/↑ ↓\s+move/);
    expect(frame).toMatch(/q ctrl\+c\s+quit/);
    frame = await a.press(KEY.esc);
    expect(frame).toContain('synthloom · Home');
    frame = await a.press(KEY.enter); // New dataset: a text field has focus
    expect(frame).toContain('What should the fine-tuned model do?');
    expect(frame).not.toContain('? help');
    await a.press('q');
    frame = await a.press('?');
    expect(frame).toContain('> q?');
    expect(a.exits).toEqual([]);
    a.unmount();
  });

  it('the help of a list question shows its keys, ? again closes it', async () => {
    const a = renderApp();
    await a.waitFor('synthloom · Home');
    await a.update(() => a.store.getState().openWizard(undefined, 'tone'));
    await a.waitFor('What tone should the answers have?');
    expect(a.frame()).toContain('? help');
    const frame = await a.press('?');
    expect(frame).toContain('Keys · New dataset');
    expect(frame).toMatch(/esc\s+back/);
    expect(frame).toMatch(/enter\s+choose/);
    await a.press('?');
    await a.waitFor('What tone should the answers have?');
    a.unmount();
  });
});
