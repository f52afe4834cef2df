/** The built-in presets (presets/*.yaml) with their configs, for the home screen and `synthloom presets`. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, presetsDir, type Config } from './config.js';

export interface PresetInfo {
  name: string;
  task: string;
  config: Config;
}

/** Presets that parse; a broken one is left out here (`synthloom run NAME` names its problem). */
export function listPresets(dir: string = presetsDir()): PresetInfo[] {
  if (!existsSync(dir)) return [];
  const out: PresetInfo[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.yaml')) continue;
    try {
      const { config } = loadConfig(join(dir, file));
      out.push({ name: file.replace(/\.yaml$/, ''), task: config.task, config });
    } catch {
      /* skipped */
    }
  }
  return out;
}
