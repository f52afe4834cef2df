import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { act, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { TextField } from '../../../src/ui/components/TextField.js';

function Field({ onSubmit }: { onSubmit: (v: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <>
      <TextField value={value} onChange={setValue} onSubmit={onSubmit} />
      <Text>{`value=[${value}]`}</Text>
    </>
  );
}

async function send(app: ReturnType<typeof render>, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    await act(async () => {
      app.stdin.write(key);
      await new Promise((r) => setTimeout(r, 5));
    });
  }
}

describe('TextField', () => {
  it('edits like a shell prompt and submits the edited text', async () => {
    const submitted: string[] = [];
    let app!: ReturnType<typeof render>;
    await act(async () => {
      app = render(<Field onSubmit={(v) => submitted.push(v)} />);
    });
    await send(app, 'a', 'b', 'c', '\u001b[H', 'X', '\u0001', 'Y', '\u0017', '\u0015');
    expect(app.lastFrame()).toContain('value=[Xabc]');
    // the cursor is drawn in reverse video on the character under it (here: the first)
    expect(app.lastFrame()).toContain('> \u001b[7mX\u001b[27mabc');
    await send(app, '\u0005', ' end', '\r');
    expect(submitted).toEqual(['Xabc end']);
    await act(async () => app.unmount());
  });

  it('a pasted block with newlines becomes one line and does not submit', async () => {
    const submitted: string[] = [];
    let app!: ReturnType<typeof render>;
    await act(async () => {
      app = render(<Field onSubmit={(v) => submitted.push(v)} />);
    });
    await send(app, 'one\ntwo\r\nthree\r');
    expect(app.lastFrame()).toContain('value=[one two three]');
    expect(submitted).toEqual([]);
    // bracketed paste: a lone newline between the markers is text too
    await send(app, '\u001b[200~', '\r', '\u001b[201~');
    expect(submitted).toEqual([]);
    await send(app, '\r');
    expect(submitted).toEqual(['one two three']);
    await act(async () => app.unmount());
  });
});
