/**
 * After a run ended with slots that gave up, a retry from the failure panel continues the same session in
 * place (a resume run of it, on a fresh dashboard) and fills them; and preview -> "Scale to N".
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY } from './pty.js';
import { endToEndSuite } from './suite.js';

const e2e = endToEndSuite();

export function writeConfig(name: string, size: number, provider: Record<string, number>): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'synthloom-e2e-cont-'));
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, [
    `name: ${name}`, 'task: customer support', 'domain: e-commerce returns and refunds', `size: ${size}`,
    'topics: { categories: [{name: returns, weight: 1}, {name: refunds, weight: 1}], depth: 0 }',
    'budget_usd: 100', `output_dir: ${JSON.stringify(dir)}`, 'provider:', '  name: openai', '  model: gpt-4.1-mini',
    ...Object.entries(provider).map(([k, v]) => `  ${k}: ${v}`), '',
  ].join('\n'));
  return { dir, config };
}

const lines = (path: string): string[] => readFileSync(path, 'utf8').trim().split('\n');

describe('after the run ended', () => {
  it('retry-all from the failure panel continues the same session in place to its target', async () => {
    const { dir, config } = writeConfig('cont', 30, { concurrency: 2, max_retries: 0 });
    e2e.server.setKnobs({ seed: 11, latencyMs: 0, serverErrorRate: 0.3, truncatedRate: 0, inject: '' });
    e2e.server.resetStats();
    const app = e2e.spawn(['run', config, '--yes'], { env: e2e.openaiEnv(), cols: 120, rows: 40 });
    await app.waitForText(/Run (done|incomplete)/, 60_000);
    const session = join(dir, 'cont');
    const first = lines(join(session, 'samples.jsonl')).length;
    expect(first).toBeLessThan(30);
    e2e.server.setKnobs({ serverErrorRate: 0 });
    e2e.server.resetStats();
    await new Promise((r) => setTimeout(r, 300));
    app.press('f');
    await app.waitForText('Failures by kind');
    await new Promise((r) => setTimeout(r, 300));
    app.press('a');
    const done = await app.waitForText('30/30 samples', 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${app.screenText()}`);
    });
    expect(done).toContain('Run done');
    expect(lines(join(session, 'samples.jsonl'))).toHaveLength(30);
    // the same session: one session directory, its first samples kept as they were
    expect(readdirSync(dir).filter((f) => existsSync(join(dir, f, 'session.yaml')))).toEqual(['cont']);
    expect(e2e.server.stats().bySchema.examples ?? 0).toBeGreaterThanOrEqual(Math.ceil((30 - first) / 5));
    app.press(KEY.enter);
    expect(await app.exited).toBe(0);
  }, 90_000);

  it('preview 20 -> "Scale to 100": the plan of what is left first, then 100 samples, the first 20 the preview\'s, 80 more requests', async () => {
    const { dir, config } = writeConfig('scale', 20, { concurrency: 2, samples_per_call: 1 });
    e2e.server.setKnobs({ seed: 5, latencyMs: 0, serverErrorRate: 0, truncatedRate: 0, inject: '' });
    e2e.server.resetStats();
    const app = e2e.spawn(['run', config, '--yes'], { env: e2e.openaiEnv(), cols: 80, rows: 24 });
    const end = await app.waitForText('Run done', 60_000);
    expect(end).toContain('x scale to N');
    const session = join(dir, 'scale');
    const preview = lines(join(session, 'samples.jsonl'));
    expect(preview).toHaveLength(20);
    e2e.server.resetStats();
    await new Promise((r) => setTimeout(r, 300));
    app.press('x');
    await app.waitForText('New size:');
    await new Promise((r) => setTimeout(r, 300));
    app.press(KEY.enter); // the default: 5 x the preview
    const plan = await app.waitForText('Scale to 100 and continue this session?');
    expect(plan).toMatch(/Cost of what is left\s+≈\$[\d.]+/);
    expect(plan).toMatch(/Slots left\s+80/);
    expect(plan).toContain('New plan: 100 samples (20 kept)');
    for (const line of app.screenLines()) expect(line.length).toBeLessThanOrEqual(80);
    expect(e2e.server.stats().requests).toBe(0); // nothing spent before the yes
    await new Promise((r) => setTimeout(r, 300));
    app.press(KEY.enter);
    await app.waitForText('100/100 samples', 60_000);
    const all = lines(join(session, 'samples.jsonl'));
    expect(all).toHaveLength(100);
    expect(all.slice(0, 20)).toEqual(preview);
    const stats = e2e.server.stats();
    expect(stats.bySchema.examples ?? 0).toBeGreaterThanOrEqual(80);
    expect(stats.bySchema.examples ?? 0).toBeLessThanOrEqual(80 + Math.ceil(80 * 0.1));
    app.press(KEY.enter);
    expect(await app.exited).toBe(0);
  }, 120_000);
});
