import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/core/config.js';

const minimal = 'name: t\ntask: support\ndomain: returns\nsize: 10\n';
function problem(text: string): string {
  try {
    parseConfigText(text, 'c.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('sources, grounding and examples keys (SPEC 11)', () => {
  it('defaults', () => {
    const c = parseConfigText(minimal, 'c.yaml');
    expect(c.sources).toEqual([]);
    expect(c.grounding).toEqual({ questions_per_chunk: 2, chunk_tokens: 800, overlap_tokens: 100, strategies: [], context: 'user' });
    expect(c.examples).toBeNull();
  });

  it('reads every key', () => {
    const c = parseConfigText(
      `${minimal}sources: [{path: docs}, {path: "notes/**/*.md"}]\ngrounding:\n  questions_per_chunk: 3\n  chunk_tokens: 400\n  overlap_tokens: 40\n  strategies: [{name: factual, weight: 2}, {name: multi_hop}]\n  context: system\nexamples: {path: ex.jsonl, k: 4}\n`,
      'c.yaml',
    );
    expect(c.sources).toEqual([{ path: 'docs' }, { path: 'notes/**/*.md' }]);
    expect(c.grounding.strategies).toEqual([{ name: 'factual', weight: 2 }, { name: 'multi_hop', weight: 1 }]);
    expect(c.grounding.context).toBe('system');
    expect(c.examples).toEqual({ path: 'ex.jsonl', k: 4 });
    expect(parseConfigText(`${minimal}examples: {path: ex.jsonl}\n`, 'c.yaml').examples).toEqual({ path: 'ex.jsonl', k: 3 });
  });

  it('unknown keys and bad values name the field', () => {
    expect(problem(`${minimal}sources: [{path: docs, recursive: true}]\n`)).toBe('c.yaml: unknown key "sources.0.recursive"');
    expect(problem(`${minimal}grounding: {chunk_size: 3}\n`)).toBe('c.yaml: unknown key "grounding.chunk_size"');
    expect(problem(`${minimal}grounding: {context: assistant}\n`)).toBe('c.yaml: grounding.context: must be one of "none", "system", "user"');
    expect(problem(`${minimal}grounding: {strategies: [{name: trivia}]}\n`)).toMatch(/^c\.yaml: grounding\.strategies\.0\.name: must be one of "factual", "analytical"/);
    expect(problem(`${minimal}grounding: {strategies: [{name: factual, weight: 0}]}\n`)).toBe('c.yaml: grounding.strategies.0.weight: must be greater than 0');
    expect(problem(`${minimal}grounding: {chunk_tokens: 100, overlap_tokens: 100}\n`)).toBe('c.yaml: grounding.overlap_tokens: overlap_tokens must be smaller than chunk_tokens');
    expect(problem(`${minimal}examples: {path: ex.jsonl, k: 0}\n`)).toMatch(/^c\.yaml: examples\.k: /);
    expect(problem(`${minimal}examples: {k: 2}\n`)).toBe('c.yaml: examples.path: is required');
  });
});
