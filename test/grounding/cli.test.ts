/** `synthloom plan` on a grounded config, as a user meets it: dist/cli.js in a child process, real files. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../fixtures/grounding/pdf.js';

const CLI = resolve('dist/cli.js');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synthloom-grounded-cli-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'returns.md'), '# Returns\n\nReturn items within 30 days.\n\n## Refunds\n\nRefunds take 5 days.\n');
  writeFileSync(join(dir, 'docs', 'notes.txt'), 'Express shipping takes 1 day.');
  writeFileSync(join(dir, 'docs', 'warranty.pdf'), makePdf([['The warranty lasts 2 years.']]));
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', 'blank.md'), '\n');
  writeFileSync(join(dir, 'locked.pdf'), makePdf([['secret']], { encrypted: true }));
  writeFileSync(join(dir, 'odd.jsonl'), '{"q": "a question", "a": "an answer"}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(extra: string, args: string[] = []) {
  const config = join(dir, 'grounded.yaml');
  writeFileSync(config, `name: g\ntask: support\ndomain: returns\nsize: 10\nprovider: {name: demo, model: demo-template-1}\n${extra}`);
  return spawnSync(process.execPath, [CLI, 'plan', config, ...args], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('synthloom plan with sources', () => {
  it('lists documents, chunks and questions, paths relative to the config file', () => {
    const r = plan('sources: [{path: docs}]\ngrounding: {questions_per_chunk: 2}\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Grounding: 3 document\(s\), 4 chunk\(s\) of up to 800 tokens \(100 overlap\), 8 question\(s\)/);
    expect(r.stdout).toMatch(/ch_[0-9a-f]{16} {2}docs\/returns\.md {2}Returns > Refunds {2}\d+ tokens, chars \d+-\d+/);
    expect(r.stdout).toContain('docs/warranty.pdf');
    const json = JSON.parse(plan('sources: [{path: docs}]\n', ['--json']).stdout) as { grounding: { chunks: unknown[]; figures: { slots: number } } };
    expect(json.grounding.chunks).toHaveLength(4);
    expect(json.grounding.figures.slots).toBe(8);
  });

  it('bad input: exit 2 and one line naming the file', () => {
    const cases: [string, string][] = [
      ['sources: [{path: nowhere}]\n', 'synthloom: nowhere: no such file or folder\n'],
      ['sources: [{path: locked.pdf}]\n', 'synthloom: locked.pdf: the PDF is encrypted (password protected); decrypt it or export its text first\n'],
      ['sources: [{path: empty}]\n', 'synthloom: empty/blank.md: no text to ground samples on (the document is empty)\n'],
      ['sources: [{path: docs}]\nexamples: {path: odd.jsonl}\n', 'synthloom: odd.jsonl line 1: not an example in a format synthloom reads (openai/trl {messages}, trl {prompt, completion}, alpaca {instruction, output} or sharegpt {conversations})\n'],
    ];
    for (const [extra, stderr] of cases) {
      const r = plan(extra);
      expect(r.stderr).toBe(stderr);
      expect(r.status).toBe(2);
    }
  });
});
