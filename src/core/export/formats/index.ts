/** The export formats by name. */
import type { ExportFormat } from '../../config.js';
import { alpacaWriter } from './alpaca.js';
import { openaiWriter } from './openai.js';
import type { FormatWriter } from './shared.js';
import { sharegptWriter } from './sharegpt.js';
import { type TrlStyle, trlWriter } from './trl.js';
import type { ParallelCalls } from './turns.js';

export type { ExportContext, FormatWriter, Row } from './shared.js';
export { ExportContextBuilder } from './shared.js';
export type { TrlStyle } from './trl.js';
export type { ParallelCalls } from './turns.js';

/** `parallel: 'split'` gives one tool call per assistant turn (for templates such as Llama 3.1's). */
export function formatWriter(format: ExportFormat, trlStyle: TrlStyle, parallel: ParallelCalls = 'keep'): FormatWriter {
  switch (format) {
    case 'openai':
      return openaiWriter(parallel);
    case 'trl':
      return trlWriter(trlStyle, parallel);
    case 'alpaca':
      return alpacaWriter();
    case 'sharegpt':
      return sharegptWriter(parallel);
  }
}
