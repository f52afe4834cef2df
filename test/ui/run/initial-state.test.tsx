/**
 * Before run_start arrives the dashboard's header names the session, provider and model from the run's own
 * config (it read "synthloom ·   · starting" before), and topic expansion in the preview waits with the
 * spinner and its progress.
 */
import React, { act } from 'react';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/config.js';
import { EventBus } from '../../../src/core/events.js';
import { buildPlan } from '../../../src/core/plan.js';
import type { RunHandle } from '../../../src/core/run.js';
import { AppContext, defaultServices } from '../../../src/ui/context.js';
import { TopicPreview } from '../../../src/ui/plan/TopicPreview.js';
import { initialRunState } from '../../../src/ui/run/runStore.js';
import { RunScreen } from '../../../src/ui/run/RunScreen.js';
import { createAppStore } from '../../../src/ui/store.js';
import { fakeRun } from './fakeRun.js';

describe('the run store before run_start', () => {
  it('takes session, provider and model from the config', () => {
    const config = validateConfig({ name: 'returns', task: 't', domain: 'd', size: 5, provider: { name: 'demo' } });
    const s = initialRunState(undefined, '/x', config);
    expect(s.session).toBe('returns');
    expect(s.provider).toBe('demo');
    expect(s.model).toBe(config.provider.model);
    expect(s.demo).toBe(true);
  });

  it('the dashboard header reads the session and model while starting', async () => {
    const run = fakeRun(mkdtempSync(join(tmpdir(), 'synthloom-init-')));
    let app!: ReturnType<typeof render>;
    await act(async () => {
      app = render(<RunScreen handle={run.handle} onExit={() => {}} renderIntervalMs={0} />);
    });
    const first = (app.lastFrame() ?? '').split('\n')[0]!;
    expect(first).toMatch(/^returns · openai gpt-4\.1-mini · /);
    expect(first).not.toMatch(/·\s+·/);
    app.unmount();
  });
});

describe('TopicPreview while expanding', () => {
  it('shows the Wait spinner with done/total topics and how to stop', async () => {
    const config = validateConfig({ name: 'returns', task: 't', domain: 'd', size: 20, provider: { name: 'demo' } });
    const plan = buildPlan(config);
    const events = new EventBus();
    const handle = { events, dir: '/nowhere', config, previewTopics: () => new Promise(() => {}), close: () => {} } as unknown as RunHandle;
    const services = { ...defaultServices({}, tmpdir()), openRun: () => handle };
    const store = createAppStore({ onExit: () => {} });
    let app!: ReturnType<typeof render>;
    await act(async () => {
      app = render(
        <AppContext.Provider value={{ store, services }}>
          <TopicPreview plan={plan} height={20} onChange={() => {}} onDone={() => {}} />
        </AppContext.Provider>,
      );
    });
    expect(plan.estimate.calls.topics).toBeGreaterThan(0);
    await act(async () => {
      app.stdin.write('y');
      await new Promise((r) => setTimeout(r, 50));
    });
    await act(async () => {
      events.emit({ type: 'topic_done', done: 2, total: 7 } as never);
      await new Promise((r) => setTimeout(r, 50));
    });
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Expanding topics 2\/7 topics \(Esc to stop\)/);
    app.unmount();
  });
});
