/**
 * Every wizard question answered by typing (or by the arrows, for a list) in a real terminal reaches the
 * config that "Save config as YAML" writes; "Edit an answer" reaches the questions added in wave 2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../ui/harness.js';
import { KEY, type PtyApp } from './pty.js';
import { endToEndSuite } from './suite.js';

const e2e = endToEndSuite();

async function typed(app: PtyApp, title: string, text: string): Promise<void> {
  await app.waitForText(title);
  app.type(text);
  await app.waitForText(`> ${text}`);
  app.press(KEY.enter);
}

/** Moves the highlight with `moves` (one key at a time, waiting for it), then Enter. */
async function picked(app: PtyApp, title: string, moves: string[], expect: string): Promise<void> {
  await app.waitForText(title);
  for (const move of moves) app.press(move);
  await app.waitForText(`› ${expect}`);
  app.press(KEY.enter);
}

describe('every wizard question in a terminal', () => {
  it('answers typed into every question are in the saved YAML, and Edit an answer reaches max turns', async () => {
    const cwd = tempDir('synthloom-e2e-answers-');
    const app = e2e.spawn(['new'], { cwd, env: e2e.openaiEnv(), cols: 100, rows: 30 });
    await typed(app, 'What should the fine-tuned model do?', 'returns support');
    await typed(app, 'Which domain or subject?', 'e-commerce refunds');
    await typed(app, 'Which categories should the examples cover?', 'Refunds, Exchanges, Damaged items');
    await typed(app, 'How should examples spread over the categories?', '3, 1, 1');
    await typed(app, 'How many examples?', '40');
    await picked(app, 'What tone should the answers have?', [KEY.down], 'friendly');
    await picked(app, 'How long should answers be?', [KEY.up], 'short');
    await typed(app, 'Formats the answers should use where natural?', 'lists, tables');
    await typed(app, 'Who asks the questions?', 'new customers, staff');
    await picked(app, 'How hard should the requests be?', [KEY.down], 'complex');
    await typed(app, 'What share of conversations are multi-turn?', '40%');
    await typed(app, 'At most how many user turns in a multi-turn conversation?', '6');
    await picked(app, 'Include edge cases?', [KEY.down], 'no');
    await picked(app, 'Include negative examples?', [KEY.up], 'yes');
    await picked(app, 'What kind of conversations?', [KEY.down], 'reasoning');
    await typed(app, 'System prompt written into each example?', 'You help with refunds.');
    await typed(app, 'Train / validation / test split?', '70/20/10');
    await picked(app, 'Export format?', [KEY.down], 'trl');
    await app.waitForText('OPENAI_API_KEY found');
    await picked(app, 'Which provider generates the examples?', [], 'openai');
    await typed(app, 'Which model?', 'gpt-4.1-nano');
    await typed(app, 'Budget cap in USD?', '3.5');
    await typed(app, 'Session name?', 'all-answers');
    await app.waitForText('synthloom · Plan all-answers');

    // Edit an answer -> Max turns (the 12th answer in the list) -> 5 -> back on the plan
    for (let i = 0; i < 2; i++) app.press(KEY.down);
    await app.waitForText('› Edit an answer');
    app.press(KEY.enter);
    await app.waitForText('Which answer do you want to change?');
    const list = app.screenText();
    for (const label of ['Categories', 'Category weights', 'Special formats', 'Max turns']) expect(list).toContain(label);
    for (let i = 0; i < 11; i++) {
      app.press(KEY.down);
      await new Promise((r) => setTimeout(r, 30));
    }
    await app.waitForText(/› Max turns\s+6/);
    app.press(KEY.enter);
    await app.waitForText('At most how many user turns in a multi-turn conversation?');
    app.press('\u0015'); // Ctrl+U clears the prefilled answer
    await app.waitForText(/^>\s*$/m);
    await typed(app, 'At most how many user turns', '5');
    await app.waitForText('synthloom · Plan all-answers');

    // Save config as YAML (Approve, Preview topics, Edit an answer, Save) to the offered path
    for (let i = 0; i < 3; i++) app.press(KEY.down);
    await app.waitForText('› Save config as YAML');
    app.press(KEY.enter);
    await app.waitForText('Save the config as YAML to:');
    app.press(KEY.enter);
    await app.waitForText('Saved the config to');

    const config = parse(readFileSync(join(cwd, 'all-answers.yaml'), 'utf8'));
    expect(config).toMatchObject({
      name: 'all-answers',
      task: 'returns support',
      domain: 'e-commerce refunds',
      size: 40,
      tone: 'friendly',
      response_length: 'short',
      audience: ['new customers', 'staff'],
      complexity: 'complex',
      edge_cases: false,
      negatives: true,
      special_formats: ['lists', 'tables'],
      system_prompt: 'You help with refunds.',
      conversation: { type: 'reasoning', multi_turn: 0.4, max_turns: 5, tools: [] },
      topics: {
        categories: [
          { name: 'Refunds', weight: 3 },
          { name: 'Exchanges', weight: 1 },
          { name: 'Damaged items', weight: 1 },
        ],
      },
      splits: { train: 0.7, validation: 0.2, test: 0.1 },
      format: 'trl',
      budget_usd: 3.5,
      provider: { name: 'openai', model: 'gpt-4.1-nano' },
    });
    expect(e2e.server.stats().requests).toBe(0);
    app.kill();
  });
});
