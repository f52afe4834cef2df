import { describe, expect, test } from 'vitest';
import { applyOverrides, loadConfig, parseConfigText, validateConfig } from '../../src/core/config.js';
import { UsageError } from '../../src/core/errors.js';

const minimal = 'name: t\ntask: support\ndomain: returns\nsize: 10\n';

function problem(text: string): string {
  try {
    parseConfigText(text, 'c.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('config', () => {
  test('a minimal config gets every documented default', () => {
    const c = parseConfigText(minimal, 'c.yaml');
    expect(c.tone).toBe('professional');
    expect(c.splits).toEqual({ train: 0.8, validation: 0.1, test: 0.1 });
    expect(c.provider).toMatchObject({ name: 'openai', model: 'gpt-4.1-mini', concurrency: 8, max_retries: 4, samples_per_call: 1, base_url: null });
    expect(c.conversation).toMatchObject({ type: 'basic', multi_turn: 0.3, max_turns: 4, tools: [] });
    expect(c.topics).toMatchObject({ categories: [], depth: 2, degree: 4 });
  });

  test('an unknown key is an error naming the key, also when nested', () => {
    expect(problem(`${minimal}colour: red\n`)).toBe('c.yaml: unknown key "colour"');
    expect(problem(`${minimal}provider: { name: openai, modle: x }\n`)).toBe('c.yaml: unknown key "provider.modle"');
  });

  test('bad values name the field and what is wrong', () => {
    expect(problem(minimal.replace('size: 10', 'size: -3'))).toMatch(/^c\.yaml: size: .*at least 1/);
    expect(problem(`${minimal}splits: { train: 0.5, validation: 0.1, test: 0.1 }\n`)).toMatch(/splits: train \+ validation \+ test must add up to 1/);
    expect(problem(`${minimal}provider: { name: gemini }\n`)).toMatch(/provider\.name: must be one of "openai", "anthropic", "openai-compatible", "demo"/);
    expect(problem('name: t\ntask: x\nsize: 3\n')).toBe('c.yaml: domain: is required');
    expect(problem(`${minimal}conversation: { type: agent }\n`)).toMatch(/conversation\.tools: an agent dataset needs at least one tool/);
  });

  test('malformed YAML is one line with its position', () => {
    const msg = problem('name: t\ntask: [unclosed\n');
    expect(msg).toMatch(/^c\.yaml: not valid YAML \(line \d+, column \d+\)/);
    expect(msg).not.toContain('\n');
  });

  test('a config that is not a mapping is refused', () => {
    expect(problem('- a\n- b\n')).toMatch(/must be a YAML mapping/);
  });

  test('overrides are validated like keys', () => {
    const c = parseConfigText(minimal, 'c.yaml');
    expect(applyOverrides(c, { size: 50, provider: 'demo' }).provider.model).toBe('demo-template-1');
    expect(() => applyOverrides(c, { size: 0 })).toThrow(/size: .*at least 1/);
    expect(() => applyOverrides(c, { base_url: 'not a url' })).toThrow(/provider\.base_url/);
  });

  test('a preset name resolves to presets/NAME.yaml and every preset is valid', () => {
    for (const name of ['customer-support', 'code-assistant', 'technical-qa', 'tool-agent', 'reasoning-math-tutor', 'agent-travel', 'agent-support-multiturn']) {
      expect(loadConfig(name).config.name).toBe(name);
    }
    expect(() => loadConfig('no-such-preset')).toThrow(/neither a file nor a built-in preset/);
    expect(() => loadConfig('missing/file.yaml')).toThrow(/config file not found: missing\/file\.yaml/);
  });

  test('validateConfig rejects a non-object', () => {
    expect(() => validateConfig(null)).toThrow(UsageError);
  });
});
