/**
 * Wording defects a new user met (issue 16), checked through the built CLI in a child process: `plan` names
 * the real config to run, `validate` never says "a undefined" and keeps OpenAI's epochs heuristic to
 * OpenAI files, and budget amounts read with two decimals.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../src/core/prices.js';
import { stepById } from '../src/ui/wizard/steps.js';
import { startWizard } from '../src/ui/wizard/flow.js';

const CLI = resolve('dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'synthloom-wording-'));

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: work, env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('wording', () => {
  it('plan ends with the command that runs this config (path or preset, with the overrides), not a literal CONFIG', () => {
    const file = join(work, 'my config.yaml');
    writeFileSync(file, 'name: w\ntask: support\ndomain: returns\nsize: 10\nprovider: {name: demo, model: demo-template-1}\n');
    let r = cli(['plan', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Start it with: synthloom run '${file}' --yes`);
    expect(r.stdout).not.toContain('run CONFIG');
    r = cli(['plan', 'customer-support', '--size', '30']);
    expect(r.stdout).toContain('Start it with: synthloom run customer-support --size 30 --yes');
  });

  it('validate names a missing field instead of "found a undefined"', () => {
    const file = join(work, 'share.jsonl');
    writeFileSync(file, `${JSON.stringify({ conversations: [{ from: 'human' }, { from: 'gpt', value: 'hi' }] })}\n`);
    const r = cli(['validate', file, '--format', 'sharegpt']);
    expect(r.stdout).not.toContain('undefined');
    expect(r.stdout).toContain('value must be a string, found nothing (the field is missing)');
  });

  it("validate shows OpenAI's epochs heuristic for openai files only", () => {
    const alpaca = join(work, 'alpaca.jsonl');
    writeFileSync(alpaca, `${JSON.stringify({ instruction: 'Say hi', input: '', output: 'Hi.' })}\n`);
    expect(cli(['validate', alpaca]).stdout).not.toContain('epochs');
    const openai = join(work, 'openai.jsonl');
    writeFileSync(openai, `${JSON.stringify({ messages: [{ role: 'user', content: 'Say hi' }, { role: 'assistant', content: 'Hi.' }] })}\n`);
    expect(cli(['validate', openai, '--format', 'openai']).stdout).toContain('OpenAI epochs heuristic');
  });

  it('budget amounts have two decimals: the wizard default, the formatter', () => {
    const step = stepById('budget');
    if (step.kind !== 'text') throw new Error('text step expected');
    const draft = { ...startWizard().draft, budget_usd: 0.1 };
    expect(step.value(draft, { answered: new Set() })).toBe('$0.10');
    expect(step.apply(draft, '$0.10').ok).toBe(true);
    expect(formatUsd(0.1)).toBe('$0.10');
    expect(formatUsd(12)).toBe('$12.00');
  });
});
