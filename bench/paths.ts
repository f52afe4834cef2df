import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/ sits directly under it). */
export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** A fresh temporary directory for one benchmark's sessions, removed by `dispose`. */
export function tempDir(label: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), `synthloom-bench-${label}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The engine benchmarks run the built engine (dist/): say so when src/ has changed since the build. */
export function warnIfBuildIsStale(): void {
  const built = join(ROOT, 'dist', 'core', 'run.js');
  if (!existsSync(built)) {
    console.log('warning: dist/ is missing: run `npm run build` (or `npm run bench`, which builds first)');
    return;
  }
  const builtAt = statSync(built).mtimeMs;
  const newer = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f) && statSync(join(ROOT, 'src', f)).mtimeMs > builtAt);
  if (newer.length > 0) console.log(`warning: ${newer.length} file(s) in src/ changed since the last build (e.g. src/${newer[0]}); the engine benchmarks measure dist/: run \`npm run bench\``);
}
