/**
 * What a trainer needs to know about an export's rows to read them: the format, which optional columns
 * every row has, and where the files are. The dataset card's recipes, the LLaMA-Factory entry and the
 * Axolotl snippet are all generated from this one description, so they cannot disagree with the files.
 */
import type { ExportFormat } from '../../config.js';
import type { TrlStyle } from '../formats/index.js';
import { fileName } from '../text.js';

export interface RowLayout {
  format: ExportFormat;
  /** Only meaningful for the trl format. */
  trlStyle: TrlStyle;
  /** Every row has a `tools` column (the session has tools or tool calls). */
  tools: boolean;
  /** Some row has tool calls (assistant `tool_calls`, or function_call turns in sharegpt). */
  toolCalls: boolean;
  /** A system prompt is carried (a system message, a system turn or a `system` column). */
  system: boolean;
  /** Some row carries reasoning as a <think> block (never in the openai format). */
  reasoning: boolean;
}

/** A written split file: its split name and its file name inside dataset/. */
export interface SplitFile {
  split: string;
  file: string;
}

/** The repo id the card's recipes use until `synthloom push` puts the real one in. */
export const REPO_PLACEHOLDER = 'OWNER/NAME';

export function splitFiles(files: readonly { split: string; path: string }[]): SplitFile[] {
  return files.map((f) => ({ split: f.split, file: fileName(f.path) }));
}

/** The split a trainer evaluates on: validation when written, else test, else none. */
export function evalSplit(files: readonly SplitFile[]): SplitFile | null {
  return files.find((f) => f.split === 'validation') ?? files.find((f) => f.split === 'test') ?? null;
}

/** Rows are `{messages}` lists of role/content messages (openai, or trl in its messages style). */
export function isMessages(layout: RowLayout): boolean {
  return layout.format === 'openai' || (layout.format === 'trl' && layout.trlStyle === 'messages');
}

/** The dataset's name as a LLaMA-Factory / file-friendly identifier. */
export function datasetId(name: string): string {
  const id = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50);
  return id === '' ? 'synthloom_dataset' : id;
}
