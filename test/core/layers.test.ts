/**
 * The layering the architecture promises (docs/architecture.md): core is the product and imports neither a
 * provider, the UI, React nor Ink; the UI never imports a provider module (providers are made by the
 * composition roots, src/cli.ts and src/index.ts, and injected).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, static or dynamic, resolved to a path under src. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.map((s) => (s.startsWith('.') ? relative(SRC, resolve(file, '..', s)) : s));
}

function offenders(layer: string, forbidden: (spec: string) => boolean): string[] {
  return files(join(SRC, layer)).flatMap((f) => imports(f).filter(forbidden).map((spec) => `${relative(SRC, f)} imports ${spec}`));
}

describe('layers', () => {
  test('core imports nothing from providers/ or ui/, and no React or Ink', () => {
    expect(offenders('core', (s) => s.startsWith('providers/') || s.startsWith('ui/') || s === 'react' || s.startsWith('ink'))).toEqual([]);
  });

  test('ui imports no provider module', () => {
    expect(offenders('ui', (s) => s.startsWith('providers/') || s === 'openai' || s.startsWith('@anthropic-ai/'))).toEqual([]);
  });

  test('the check sees real imports (it would catch one)', () => {
    const sample = files(join(SRC, 'core')).find((f) => f.endsWith('run.ts'))!;
    expect(imports(sample)).toContain('core/engine.js');
    expect(imports(join(SRC, 'cli.ts')).some((s) => s.startsWith('providers/'))).toBe(true);
  });
});
