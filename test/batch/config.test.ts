import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyOverrides, parseConfigText, validateConfig } from '../../src/core/config.js';
import { UsageError } from '../../src/core/errors.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const base = { name: 'b', task: 'support answers', domain: 'e-commerce', size: 10 };

describe('provider.mode: batch', () => {
  it('is accepted for openai and anthropic', () => {
    for (const name of ['openai', 'anthropic'] as const) {
      expect(validateConfig({ ...base, provider: { name, mode: 'batch' } }).provider.mode).toBe('batch');
    }
    expect(validateConfig(base).provider.mode).toBe('live');
  });

  it('is refused for demo and openai-compatible in one line naming provider.mode', () => {
    for (const name of ['demo', 'openai-compatible']) {
      const text = `name: b\ntask: t\ndomain: d\nsize: 10\nprovider:\n  name: ${name}\n  mode: batch\n`;
      let error: unknown;
      try {
        parseConfigText(text, 'cfg.yaml');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as UsageError).message).toBe(`cfg.yaml: provider.mode: batch needs provider openai or anthropic; ${name} has no batch API (use mode: live)`);
    }
  });

  it('--mode overrides the file, and is checked like the key', () => {
    const openai = validateConfig({ ...base, provider: { name: 'openai' } });
    expect(applyOverrides(openai, { mode: 'batch' }).provider.mode).toBe('batch');
    const batch = validateConfig({ ...base, provider: { name: 'openai', mode: 'batch' } });
    expect(applyOverrides(batch, { mode: 'live' }).provider.mode).toBe('live');
    expect(() => applyOverrides(batch, { provider: 'demo' })).toThrow(/provider\.mode: batch needs provider openai or anthropic; demo/);
  });

  it('the CLI exits 2 with one line on stderr for --mode batch with demo, and for an unknown mode', () => {
    for (const [args, pattern] of [
      [['plan', 'customer-support', '--provider', 'demo', '--mode', 'batch'], /^synthloom: command line: provider\.mode: batch needs provider openai or anthropic; demo has no batch API \(use mode: live\)\n$/],
      [['plan', 'customer-support', '--mode', 'turbo'], /^synthloom: --mode: unknown mode "turbo": use live or batch \(provider\.mode\)\n$/],
    ] as const) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' } });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(pattern);
      expect(run.stdout).toBe('');
    }
  });
});
