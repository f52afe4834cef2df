import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configToYaml, validateConfig, type Config } from '../../src/core/config.js';
import { buildPlan } from '../../src/core/plan.js';
import { KEY, renderApp, tempDir, type Harness } from './harness.js';

let app: Harness | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

function config(dir: string, extra: Record<string, unknown> = {}): Config {
  return validateConfig({
    name: 'plan-test',
    task: 'customer support',
    domain: 'returns and refunds',
    size: 20,
    output_dir: join(dir, 'datasets'),
    topics: { categories: [{ name: 'Refunds' }, { name: 'Returns', weight: 2 }], depth: 1, degree: 3 },
    provider: { name: 'demo', model: 'demo-template-1' },
    ...extra,
  });
}

async function planScreen(extra: Record<string, unknown> = {}): Promise<{ app: Harness; dir: string; config: Config }> {
  const dir = tempDir();
  const c = config(dir, extra);
  app = renderApp({ route: { screen: 'plan' }, origin: 'direct', plan: buildPlan(c), services: { cwd: dir } });
  await app.waitFor('synthloom · Plan plan-test');
  return { app, dir, config: c };
}

/** Moves the action list to `label` (from the top) and presses Enter. */
async function chooseAction(a: Harness, label: string): Promise<string> {
  for (let i = 0; i < 8 && !new RegExp(`› ${label}`).test(a.frame()); i++) await a.press(KEY.down);
  expect(a.frame()).toMatch(new RegExp(`› ${label}`));
  return a.press(KEY.enter);
}

describe('plan screen', () => {
  it('shows the estimate, the budget and the split sizes, with approve highlighted', async () => {
    const { app: a } = await planScreen();
    const frame = a.frame();
    expect(frame).toContain('20 basic examples of customer support (returns and refunds)');
    expect(frame).toMatch(/Calls\s+\d+: \d+ topic expansion, \d+ samples, ~\d+ retries/);
    expect(frame).toMatch(/Tokens\s+≈[\d,]+ in · [\d,]+ out/);
    expect(frame).toContain('Cost    ≈$0.00 at $0/$0 per 1M tokens (demo provider (offline, free), n/a)');
    expect(frame).toContain('Budget  $10.00 cap');
    expect(frame).toMatch(/Time\s+≈\d+s at concurrency 8/);
    expect(frame).toContain('Splits  train 16 · validation 2 · test 2 · format openai');
    expect(frame).toContain('DEMO provider: offline template data, not model output');
    expect(frame).toContain('› Approve and start');
  });

  it('Tab shows the topics, the diversity spread and the exact prompt, which scrolls', async () => {
    const { app: a } = await planScreen();
    let frame = await a.press(KEY.tab);
    expect(frame).toContain('[topics]');
    expect(frame).toContain('2 categories, targets add up to 20');
    expect(frame).toMatch(/7\s+Refunds/);
    expect(frame).toMatch(/13\s+Returns \(weight 2\)/);
    frame = await a.press(KEY.tab);
    expect(frame).toContain('[diversity]');
    expect(frame).toContain('audience');
    expect(frame).toContain('complexity');
    frame = await a.press(KEY.tab);
    expect(frame).toContain('[prompt]');
    expect(frame).toContain('One sample request as it will be sent');
    const first = /lines 1-(\d+) of (\d+)/.exec(frame);
    expect(first).not.toBeNull();
    frame = await a.press(']');
    expect(frame).not.toContain('lines 1-');
    frame = await a.press('[');
    expect(frame).toContain('lines 1-');
  });

  it('an unknown model says so and takes a price override that updates the cost', async () => {
    const { app: a } = await planScreen({
      provider: { name: 'openai-compatible', model: 'my-local-model', base_url: 'http://127.0.0.1:9/v1' },
    });
    let frame = a.frame();
    expect(frame).toContain('Cost    unknown price for "my-local-model"');
    frame = await chooseAction(a, 'Set a price');
    expect(frame).toContain('Price of my-local-model in USD per 1M tokens');
    await a.type('cheap');
    frame = await a.press(KEY.enter);
    expect(frame).toContain('✗ type input/output USD per 1M tokens, such as 0.40/1.60');
    await a.erase(5);
    await a.type('0.5/1.5');
    frame = await a.press(KEY.enter);
    expect(frame).toMatch(/Cost\s+≈\$[\d.]+ at \$0.5\/\$1.5 per 1M tokens \(config override/);
    expect(a.store.getState().plan?.config.provider.price).toEqual({ input: 0.5, output: 1.5 });
  });

  it('saves the config as YAML, and asks before replacing a file', async () => {
    const { app: a, dir, config: c } = await planScreen();
    let frame = await chooseAction(a, 'Save config as YAML');
    expect(frame).toContain('> ./plan-test.yaml');
    frame = await a.press(KEY.enter);
    const path = join(dir, 'plan-test.yaml');
    expect(frame).toContain(`Saved the config to ${path}`);
    expect(readFileSync(path, 'utf8')).toBe(configToYaml(c));
    writeFileSync(path, 'old: content\n');
    await chooseAction(a, 'Save config as YAML');
    frame = await a.press(KEY.enter);
    expect(frame).toContain('plan-test.yaml exists. Replace it?');
    frame = await a.press('n');
    expect(readFileSync(path, 'utf8')).toBe('old: content\n');
    await a.press(KEY.enter);
    await a.press('y');
    await a.waitFor('Saved the config to');
    expect(readFileSync(path, 'utf8')).toBe(configToYaml(c));
  });

  it('"Edit an answer" goes back into the wizard at that question and returns to the updated plan', async () => {
    const { app: a } = await planScreen();
    let frame = await chooseAction(a, 'Edit an answer');
    expect(frame).toContain('Which answer do you want to change?');
    expect(frame).toMatch(/Size\s+20/);
    while (!/› Size/.test(a.frame())) await a.press(KEY.down);
    frame = await a.press(KEY.enter);
    expect(frame).toContain('synthloom · Edit the plan');
    expect(frame).toContain('How many examples?');
    expect(frame).toContain('> 20');
    // Esc leaves the question unchanged.
    frame = await a.press(KEY.esc);
    expect(frame).toContain('20 basic examples');
    await chooseAction(a, 'Edit an answer');
    while (!/› Size/.test(a.frame())) await a.press(KEY.down);
    await a.press(KEY.enter);
    await a.erase(2);
    await a.type('40');
    frame = await a.press(KEY.enter);
    expect(frame).toContain('40 basic examples');
    expect(frame).toContain('Splits  train 32 · validation 4 · test 4');
  });

  it('Cancel leaves without spending: started from `run`, the app exits with 130', async () => {
    const { app: a, dir } = await planScreen();
    for (let i = 0; i < 8 && !/› Cancel/.test(a.frame()); i++) await a.press(KEY.down);
    expect(a.frame()).toMatch(/› Cancel/);
    await a.send(KEY.enter);
    expect(a.exits).toEqual([130]);
    expect(existsSync(join(dir, 'datasets'))).toBe(false);
  });

  it('topic preview shows its cost first, then the tree, whose edits update the estimate', async () => {
    const { app: a } = await planScreen();
    let frame = await chooseAction(a, 'Preview topics');
    expect(frame).toMatch(/Expanding the topic tree makes \d+ LLM calls and costs about \$0\.00\. No samples are generated\./);
    // the confirm's footer has a yes/no's keys, not the tree editor's (it listed them before)
    expect(frame).toContain('↑↓ move · enter choose · esc back');
    expect(frame).not.toContain('d remove');
    frame = await a.press('y');
    frame = await a.waitFor(/\d+ leaf topics · \d+ calls/);
    expect(frame).toContain('Topic expansion cost $0.00');
    expect(frame).toContain('d remove');
    const leaves = (f: string): number => Number(/(\d+) leaf topics/.exec(f)?.[1]);
    const before = leaves(frame);
    expect(before).toBeGreaterThan(2);
    await a.press(KEY.down); // the first subtopic of the first category
    frame = await a.press('d');
    expect(leaves(frame)).toBe(before - 1);
    frame = await a.press('+');
    expect(frame).toMatch(/›.*×1\.5/);
    frame = await a.press('r');
    await a.erase(80);
    await a.type('Renamed topic');
    frame = await a.press(KEY.enter);
    expect(frame).toMatch(/› .*Renamed topic/);
    frame = await a.press(KEY.enter);
    expect(frame).toContain('› Approve and start');
    expect(frame).toContain('Edit topics');
    const plan = a.store.getState().plan!;
    expect(plan.expanded).toBe(true);
    expect(plan.leaves.length).toBe(before - 1);
    expect(plan.leaves.reduce((n, l) => n + l.target, 0)).toBe(20);
    expect(plan.leaves.some((l) => l.path.includes('Renamed topic'))).toBe(true);
  });

  it('approve starts the run; the dashboard shows it to the end and the files are on disk', async () => {
    const { app: a, dir } = await planScreen();
    await a.press(KEY.enter);
    const frame = await a.waitFor('Run done', 30_000);
    expect(frame).toContain('20/20 samples');
    const session = join(dir, 'datasets', 'plan-test');
    const samples = readFileSync(join(session, 'samples.jsonl'), 'utf8').trim().split('\n');
    expect(samples).toHaveLength(20);
    expect(existsSync(join(session, 'dataset', 'train.jsonl'))).toBe(true);
    expect(a.store.getState().run?.end?.status).toBe('done');
  });
});
