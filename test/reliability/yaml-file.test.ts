/** Issue 15 (1, 9): no NaN or Infinity is ever written to a YAML file; the reader's limits name the file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { readYamlMapping, stringifyYamlFinite } from '../../src/core/yaml-file.js';

const dir = mkdtempSync(join(tmpdir(), 'synthloom-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stringifyYamlFinite', () => {
  it('refuses NaN and Infinity anywhere, naming the field; writes finite figures', () => {
    expect(() => stringifyYamlFinite({ stats: { cost_usd: Number.NaN } })).toThrow(/stats\.cost_usd = NaN/);
    expect(() => stringifyYamlFinite({ a: [1, { b: Number.POSITIVE_INFINITY }] })).toThrow(/a\.1\.b = Infinity/);
    expect(stringifyYamlFinite({ stats: { cost_usd: 0.05 } })).toBe('stats:\n  cost_usd: 0.05\n');
  });
});

describe('readYamlMapping', () => {
  it('an empty file, a scalar, an oversized file and invalid YAML are one-line UsageErrors naming the file', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['empty.yaml', '', /empty\.yaml: the plan file is empty/],
      ['scalar.yaml', '42\n', /scalar\.yaml: the plan file must be a YAML mapping/],
      ['big.yaml', `a: "${'x'.repeat(2000)}"\n`, /big\.yaml: 2 KB is over the 1 KB limit/],
      ['bad.yaml', 'a: [1, 2\n', /bad\.yaml: not valid YAML/],
    ];
    for (const [name, text, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, text);
      let error: unknown;
      try {
        readYamlMapping(path, 1024, 'plan file');
      } catch (err) {
        error = err;
      }
      expect(error, name).toBeInstanceOf(UsageError);
      expect((error as Error).message, name).toMatch(message);
      expect((error as Error).message.includes('\n'), name).toBe(false);
    }
  });
});
