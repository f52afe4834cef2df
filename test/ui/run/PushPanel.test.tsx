/**
 * The done screen's "Push to the Hub" action: asks for OWNER/NAME and privacy, then pushes the real export
 * to the loopback fake Hub with the same pushDataset the `synthloom push` command uses.
 */
import React from 'react';
import { act } from 'react';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportSession } from '../../../src/core/export/index.js';
import { RunScreen } from '../../../src/ui/run/RunScreen.js';
import { buildChatSession } from '../../fixtures/export/build-session.js';
import { type FakeHub, startFakeHub } from '../../hub/fake-hub.js';
import { KEY } from '../../keys.js';
import { fakeRun, press } from './fakeRun.js';

const TOKEN = 'hf_uiPanelToken77aa';
let hub: FakeHub;
let root: string;
let cleanup: (() => void) | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'synthloom-push-ui-'));
  hub = await startFakeHub({ tokens: [TOKEN] });
});
afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  cleanup?.();
  delete process.env.HF_TOKEN;
  delete process.env.HF_ENDPOINT;
});

async function doneScreen(name: string) {
  const session = buildChatSession(join(root, name));
  exportSession(session.dir);
  const run = fakeRun(session.dir);
  let app!: ReturnType<typeof render>;
  await act(async () => {
    app = render(<RunScreen handle={run.handle} onExit={() => {}} renderIntervalMs={0} />);
  });
  cleanup = () => app.unmount();
  await run.emit({
    type: 'run_end', status: 'done', sessionStatus: 'done', done: 10, target: 10, failedSlots: 0,
    tokens: { input: 1, output: 1 }, costUsd: 0, elapsedS: 1, exitCode: 0, dir: session.dir,
  });
  await run.finish({ status: 'done', exitCode: 0 });
  const frame = (): string => app.lastFrame() ?? '';
  const waitFor = async (text: string): Promise<string> => {
    const deadline = Date.now() + 15_000;
    while (!frame().includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; the screen shows:\n${frame()}`);
      await act(async () => {
        await new Promise((r) => setTimeout(r, 20));
      });
    }
    return frame();
  };
  return { app, frame, waitFor };
}

describe('Push to the Hub on the done screen', () => {
  it('h asks for OWNER/NAME, refuses a malformed one, then pushes the export privately in one commit', async () => {
    process.env.HF_TOKEN = TOKEN;
    process.env.HF_ENDPOINT = hub.url;
    const { app, frame, waitFor } = await doneScreen('ui-push');
    expect(frame()).toContain('h push to the Hub');
    await press(app.stdin, 'h');
    await waitFor('Dataset repo as OWNER/NAME');
    await press(app.stdin, 'not a repo');
    await press(app.stdin, KEY.enter);
    await waitFor('is not OWNER/NAME');
    for (let i = 0; i < 'not a repo'.length; i++) await press(app.stdin, KEY.backspace);
    await press(app.stdin, 'carol/returns');
    await press(app.stdin, KEY.enter);
    await waitFor('Make carol/returns a private repo?');
    await press(app.stdin, 'y');
    const done = await waitFor('pushed to');
    expect(done).toContain(`${hub.url}/datasets/carol/returns (new repo)`);
    expect(done).not.toContain(TOKEN);
    expect(hub.repos.get('carol/returns')!.private).toBe(true);
    expect(hub.commits('carol/returns')).toHaveLength(1);
    expect(hub.commits('carol/returns')[0]!.files).toContain('train.jsonl');
    await press(app.stdin, 'x');
    await waitFor('Run done');
  });

  it('without HF_TOKEN it says so under the field and pushes nothing; esc goes back', async () => {
    process.env.HF_ENDPOINT = hub.url;
    const before = hub.requests.length;
    const { app, waitFor } = await doneScreen('ui-no-token');
    await press(app.stdin, 'h');
    await waitFor('Dataset repo as OWNER/NAME');
    await press(app.stdin, 'carol/other');
    await press(app.stdin, KEY.enter);
    await waitFor('HF_TOKEN is not set');
    await press(app.stdin, KEY.esc);
    await waitFor('Run done');
    expect(hub.requests.length).toBe(before);
  });
});
