/**
 * The files an export writes for trainers beside the splits (dataset_info.json for LLaMA-Factory,
 * axolotl.yaml for Axolotl), and the notes for a format one of them cannot read. Pure: the export writes
 * what this returns through its own atomic writes.
 */
import { axolotlConfig, renderAxolotlYaml } from './axolotl.js';
import { datasetId, type RowLayout, type SplitFile } from './layout.js';
import { llamaFactoryInfo } from './llama-factory.js';

export type { RowLayout, SplitFile } from './layout.js';
export { REPO_PLACEHOLDER, splitFiles } from './layout.js';
export { formatSection } from './card-format.js';
export { useSection } from './card-recipes.js';

/** The names of every file this module can write: a stale one is removed when an export does not write it. */
export const TRAINER_FILES = ['dataset_info.json', 'axolotl.yaml'] as const;

export interface TrainerFiles {
  files: { name: (typeof TRAINER_FILES)[number]; content: string }[];
  notes: string[];
}

export function trainerFiles(name: string, layout: RowLayout, files: readonly SplitFile[]): TrainerFiles {
  const out: TrainerFiles = { files: [], notes: [] };
  const info = llamaFactoryInfo(datasetId(name), layout, files);
  if ('unsupported' in info) out.notes.push(`llama-factory: no dataset_info.json: ${info.unsupported}`);
  else out.files.push({ name: 'dataset_info.json', content: `${JSON.stringify(info, null, 2)}\n` });

  const axolotl = axolotlConfig(layout, files);
  if ('unsupported' in axolotl) out.notes.push(`axolotl: no axolotl.yaml: ${axolotl.unsupported}`);
  else {
    const header = [
      `Axolotl dataset entries for this ${layout.format} export, written by synthloom.`,
      'Paste them into your Axolotl config; the paths are relative to this directory (run axolotl from here),',
      'or use the Hub form in README.md after `synthloom push`.',
    ];
    out.files.push({ name: 'axolotl.yaml', content: renderAxolotlYaml(axolotl, header) });
  }
  return out;
}
