import { describe, expect, test } from 'vitest';
import { parseConfigText } from '../../src/core/config.js';
import { UsageError } from '../../src/core/errors.js';
import { resolveCriteria } from '../../src/core/quality/rubric.js';

const minimal = 'name: t\ntask: support\ndomain: returns\nsize: 10\n';
const agent = `${minimal}conversation: { type: agent, tools: [{ type: function, function: { name: lookup } }] }\n`;

function problem(text: string): string {
  try {
    parseConfigText(text, 'c.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('quality config', () => {
  test('defaults follow SPEC 11', () => {
    expect(parseConfigText(minimal, 'c.yaml').quality).toEqual({
      judge: { enabled: false, threshold: 3.5, criteria: [], provider: null },
      pii: 'off',
      language: null,
      diversity_feedback: true,
    });
  });

  test('a full section is accepted, criterion weights default to 1', () => {
    const c = parseConfigText(
      `${minimal}quality:\n  judge: { enabled: true, threshold: 4, criteria: [{ name: correctness, weight: 2 }, { name: relevance }, { name: empathy, weight: 1, description: Acknowledges the customer's frustration }], provider: { name: anthropic, model: claude-haiku-4-5 } }\n  pii: redact\n  language: en\n  diversity_feedback: false\n`,
      'c.yaml',
    );
    expect(c.quality.judge.criteria).toEqual([
      { name: 'correctness', weight: 2 },
      { name: 'relevance', weight: 1 },
      { name: 'empathy', weight: 1, description: "Acknowledges the customer's frustration" },
    ]);
    expect(resolveCriteria('basic', c.quality.judge.criteria).map((x) => x.description.length > 0)).toEqual([true, true, true]);
  });

  test('a threshold out of range names quality.judge.threshold', () => {
    expect(problem(`${minimal}quality: { judge: { threshold: 7 } }\n`)).toBe('c.yaml: quality.judge.threshold: must be between 1 and 5');
    expect(problem(`${minimal}quality: { judge: { threshold: 0.5 } }\n`)).toBe('c.yaml: quality.judge.threshold: must be between 1 and 5');
  });

  test('an unknown criterion without a description is refused, naming the known ones', () => {
    expect(problem(`${minimal}quality: { judge: { criteria: [{ name: corectness }] } }\n`)).toBe(
      'c.yaml: quality.judge.criteria.0.name: unknown criterion "corectness" for a basic dataset (known: relevance, correctness, follows_instructions, realistic_user; give a description to add your own)',
    );
  });

  test('agent criteria are known only for agent datasets', () => {
    expect(parseConfigText(`${agent}quality: { judge: { criteria: [{ name: right_tool }] } }\n`, 'c.yaml').quality.judge.criteria).toHaveLength(1);
    expect(problem(`${minimal}quality: { judge: { criteria: [{ name: right_tool }] } }\n`)).toMatch(/unknown criterion "right_tool" for a basic dataset/);
  });

  test('unknown keys, bad enums and unknown languages are one line naming the field', () => {
    expect(problem(`${minimal}quality: { judge: { enabeld: true } }\n`)).toBe('c.yaml: unknown key "quality.judge.enabeld"');
    expect(problem(`${minimal}quality: { pii: mask }\n`)).toBe('c.yaml: quality.pii: must be one of "off", "redact", "reject"');
    expect(problem(`${minimal}quality: { language: klingon }\n`)).toMatch(/^c\.yaml: quality\.language: "klingon" is not a language/);
    expect(problem(`${minimal}quality: { judge: { criteria: [{ name: relevance }, { name: relevance }] } }\n`)).toMatch(/criteria\.1\.name: criterion "relevance" is listed twice/);
  });
});
