/** The export formats by name. */
import type { ExportFormat } from '../../config.js';
import { alpacaWriter } from './alpaca.js';
import { openaiWriter } from './openai.js';
import type { FormatWriter } from './shared.js';
import { sharegptWriter } from './sharegpt.js';
import { type TrlStyle, trlWriter } from './trl.js';

export type { ExportContext, FormatWriter, Row } from './shared.js';
export { ExportContextBuilder } from './shared.js';
export type { TrlStyle } from './trl.js';

export function formatWriter(format: ExportFormat, trlStyle: TrlStyle): FormatWriter {
  switch (format) {
    case 'openai':
      return openaiWriter();
    case 'trl':
      return trlWriter(trlStyle);
    case 'alpaca':
      return alpacaWriter();
    case 'sharegpt':
      return sharegptWriter();
  }
}
