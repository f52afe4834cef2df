import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configToYaml } from '../../src/core/config.js';
import { KEY, renderApp, type Harness } from './harness.js';

let app: Harness | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

async function wizard(env: NodeJS.ProcessEnv = {}): Promise<Harness> {
  const a = renderApp({ route: { screen: 'home' }, services: { env } });
  app = a;
  await a.update(() => a.store.getState().openWizard());
  return a;
}

describe('wizard', () => {
  it('opens on the task question with its default, explanation and step count', async () => {
    const w = await wizard();
    const frame = await w.waitFor('What should the fine-tuned model do?');
    expect(frame).toContain('step 1 of 21');
    expect(frame).toContain('Default: customer support (Enter keeps it)');
    expect(frame).toContain('The task, in a few words');
    expect(frame).toMatch(/enter accept · esc back · ctrl\+c quit/);
  });

  it('Enter on an empty field keeps the default and moves on', async () => {
    const w = await wizard();
    await w.waitFor('step 1 of 21');
    const frame = await w.press(KEY.enter);
    expect(frame).toContain('step 2 of 21');
    expect(frame).toContain('Which domain or subject?');
    expect(w.store.getState().wizard?.draft.task).toBe('customer support');
  });

  it('explains a bad size at the field and stays on the question', async () => {
    const w = await wizard();
    await w.waitFor('step 1 of 21');
    for (let i = 0; i < 3; i++) await w.press(KEY.enter); // task, domain, categories (none)
    await w.waitFor('How many examples?');
    await w.type('lots');
    let frame = await w.press(KEY.enter);
    expect(frame).toContain('✗ type a whole number of examples, such as 200 or 2,000');
    expect(frame).toContain('step 4 of 21');
    await w.erase(4);
    await w.type('0');
    frame = await w.press(KEY.enter);
    expect(frame).toContain('✗ must be at least 1');
    await w.erase(1);
    await w.type('2k');
    frame = await w.press(KEY.enter);
    expect(frame).toContain('step 5 of 21');
    expect(w.store.getState().wizard?.draft.size).toBe(2000);
  });

  it('shows the size guidance of SPEC 9.1 with the row for the task marked', async () => {
    const w = await wizard();
    await w.waitFor('step 1 of 21');
    await w.type('code review assistant');
    await w.press(KEY.enter);
    await w.press(KEY.enter); // domain
    const frame = await w.press(KEY.enter); // categories
    expect(frame).toContain('How many examples?');
    expect(frame).toContain('  simple tasks: 100-500');
    expect(frame).toContain('  medium tasks: 500-2,000');
    expect(frame).toContain('> complex tasks: 2,000-10,000+');
    expect(frame).toContain('  domain adaptation: 1,000-5,000');
    expect(frame).toContain('start with a 10-20 example preview run');
  });

  it('Esc goes back to the previous question with the answer kept', async () => {
    const w = await wizard();
    await w.waitFor('step 1 of 21');
    await w.type('sql tutor');
    await w.press(KEY.enter);
    await w.type('postgres');
    await w.press(KEY.enter);
    await w.waitFor('step 3 of 21');
    let frame = await w.press(KEY.esc);
    expect(frame).toContain('step 2 of 21');
    expect(frame).toContain('> postgres');
    frame = await w.press(KEY.esc);
    expect(frame).toContain('step 1 of 21');
    expect(frame).toContain('> sql tutor');
    // Back out of the first question: home again.
    frame = await w.press(KEY.esc);
    expect(frame).toContain('synthloom · Home');
  });

  it('a choice question highlights the current answer and takes another with the arrows', async () => {
    const w = await wizard();
    await w.waitFor('step 1 of 21');
    for (let i = 0; i < 5; i++) await w.press(KEY.enter); // task, domain, categories, size, tone (professional)
    let frame = await w.waitFor('How long should answers be?');
    expect(frame).toMatch(/› medium/);
    frame = await w.press(KEY.down);
    expect(frame).toMatch(/› long/);
    await w.press(KEY.enter);
    expect(w.store.getState().wizard?.draft.response_length).toBe('long');
  });

  it('the tone question takes a free answer through "other"', async () => {
    const w = await wizard();
    await w.waitFor('step 1 of 21');
    for (let i = 0; i < 4; i++) await w.press(KEY.enter);
    await w.waitFor('What tone should the answers have?');
    for (let i = 0; i < 4; i++) await w.press(KEY.down);
    let frame = await w.press(KEY.enter);
    expect(frame).toContain('e.g. warm but brief');
    frame = await w.press(KEY.enter);
    expect(frame).toContain('✗ the tone must not be empty');
    await w.type('warm but brief');
    await w.press(KEY.enter);
    expect(w.store.getState().wizard?.draft.tone).toBe('warm but brief');
  });

  it('without keys or Ollama, the provider question offers demo and the model follows it', async () => {
    const w = await wizard({});
    await w.waitFor('step 1 of 21');
    await w.update(() => w.store.setState({ wizard: { ...w.store.getState().wizard!, at: 'provider' } }));
    const frame = await w.waitFor('No API key and no local Ollama found');
    expect(frame).toMatch(/› demo \(offline/);
    await w.press(KEY.enter);
    const model = await w.waitFor('Which model?');
    expect(model).toContain('Default: demo-template-1');
  });

  it('an agent dataset asks for tools; pasted JSON is checked where it is typed', async () => {
    const w = await wizard();
    await w.waitFor('step 1 of 21');
    await w.update(() => w.store.setState({ wizard: { ...w.store.getState().wizard!, at: 'dataset_type' } }));
    await w.waitFor('What kind of conversations?');
    await w.press(KEY.down);
    await w.press(KEY.down);
    let frame = await w.press(KEY.enter);
    expect(frame).toContain('Which tools can the agent call?');
    expect(frame).toContain('step 15 of 22');
    expect(frame).toContain('weather + calendar');
    expect(frame).toContain('get_weather, create_event, list_events');
    // paste JSON is the last entry
    for (let i = 0; i < 3; i++) await w.press(KEY.down);
    frame = await w.press(KEY.enter);
    expect(frame).toContain('Paste a JSON list of OpenAI function tools');
    await w.type('[{"name": "bad name"}]');
    frame = await w.press(KEY.enter);
    expect(frame).toContain('✗ tool 1: function.name: tool names are 1-64 letters, digits, _ or -');
    await w.erase(30);
    await w.type('[{"name":"lookup","parameters":{"type":"object","properties":{}}}]');
    frame = await w.press(KEY.enter);
    expect(frame).toContain('System prompt written into each example?');
    expect(w.store.getState().wizard?.draft.conversation.tools).toEqual([
      { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
    ]);
  });

  it('a scripted set of answers produces exactly the expected config YAML', async () => {
    const w = await wizard({ OPENAI_API_KEY: 'sk-test-not-real' });
    await w.waitFor('step 1 of 21');
    const typeAndEnter = async (text: string): Promise<void> => {
      if (text) await w.type(text);
      await w.press(KEY.enter);
    };
    await typeAndEnter('returns support'); // task
    await typeAndEnter('e-commerce returns and refunds'); // domain
    await w.waitFor('Which categories should the examples cover?');
    await typeAndEnter('Refunds, Exchanges');
    await w.waitFor('How should examples spread over the categories?');
    expect(w.frame()).toContain('Default: even (Enter keeps it)');
    await typeAndEnter('3, 1');
    await w.waitFor('How many examples?');
    await typeAndEnter('300'); // size
    await w.waitFor('What tone'); // tone: friendly is the second
    await w.press(KEY.down);
    await w.press(KEY.enter);
    await w.waitFor('How long should answers be?');
    await w.press(KEY.up); // short
    await w.press(KEY.enter);
    await w.waitFor('Formats the answers should use where natural?');
    await typeAndEnter('lists, tables');
    await w.waitFor('Who asks the questions?');
    await typeAndEnter('new customers, power users'); // audience
    await w.waitFor('How hard should the requests be?');
    await w.press(KEY.enter); // mixed (default)
    await w.waitFor('multi-turn');
    await typeAndEnter('50%');
    await w.waitFor('At most how many user turns');
    expect(w.frame()).toContain('Default: 4 (Enter keeps it)');
    await typeAndEnter('6');
    await w.waitFor('Include edge cases?');
    await w.press(KEY.enter); // yes (default)
    await w.waitFor('Include negative examples?');
    await w.press(KEY.up); // yes
    await w.press(KEY.enter);
    await w.waitFor('What kind of conversations?');
    await w.press(KEY.enter); // basic
    await w.waitFor('System prompt');
    await typeAndEnter('You are a helpful returns assistant.');
    await w.waitFor('Train / validation / test split?');
    await typeAndEnter('90/5/5');
    await w.waitFor('Export format?');
    await w.press(KEY.down); // trl
    await w.press(KEY.enter);
    let frame = await w.waitFor('› openai (OPENAI_API_KEY found)');
    expect(frame).toContain('Which provider generates the examples?');
    await w.press(KEY.enter);
    frame = await w.waitFor('Which model?');
    expect(frame).toContain('Default: gpt-4.1-mini');
    await typeAndEnter('');
    await w.waitFor('Budget cap in USD?');
    await typeAndEnter('$5');
    frame = await w.waitFor('Session name?');
    expect(frame).toContain('Default: returns-support');
    expect(frame).toContain('step 22 of 22');
    await typeAndEnter('');
    frame = await w.waitFor('synthloom · Plan returns-support');

    const config = w.store.getState().plan!.config;
    const expected = `name: returns-support
task: returns support
domain: e-commerce returns and refunds
instructions: ""
size: 300
tone: friendly
response_length: short
audience:
  - new customers
  - power users
complexity: mixed
edge_cases: true
negatives: true
special_formats:
  - lists
  - tables
system_prompt: You are a helpful returns assistant.
conversation:
  type: basic
  multi_turn: 0.5
  max_turns: 6
  tools: []
  tools_from: null
  tool_results: simulate
  agent_steps: 5
topics:
  categories:
    - name: Refunds
      weight: 3
    - name: Exchanges
      weight: 1
  depth: 2
  degree: 4
splits:
  train: 0.9
  validation: 0.05
  test: 0.05
format: trl
output_dir: ./datasets
budget_usd: 5
seed: 42
provider:
  name: openai
  model: gpt-4.1-mini
  base_url: null
  concurrency: 8
  rpm: null
  tpm: null
  samples_per_call: 1
  max_retries: 4
  timeout_s: 120
  max_output_tokens: null
  price: null
  mode: live
  batch_max_lines: null
  batch_poll_s: 5
  temperature: null
  top_p: null
quality:
  judge:
    enabled: false
    threshold: 3.5
    criteria: []
    provider: null
  pii: off
  language: null
  diversity_feedback: true
sources: []
grounding:
  questions_per_chunk: 2
  chunk_tokens: 800
  overlap_tokens: 100
  strategies: []
  context: user
examples: null
`;
    expect(configToYaml(config)).toBe(expected);
    expect(parse(expected)).toEqual(JSON.parse(JSON.stringify(config)));
  });
});
