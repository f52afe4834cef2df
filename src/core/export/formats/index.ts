/** The export formats by name. */
import type { ExportFormat } from '../../config.js';
import type { Sample } from '../../types.js';
import { alpacaWriter } from './alpaca.js';
import { openaiWriter } from './openai.js';
import type { ExportContext, FormatWriter } from './shared.js';
import { sharegptWriter } from './sharegpt.js';
import { type TrlStyle, trlWriter } from './trl.js';

export type { ExportContext, FormatWriter, Row } from './shared.js';
export { exportContext } from './shared.js';
export type { TrlStyle } from './trl.js';

export function formatWriter(format: ExportFormat, samples: readonly Sample[], ctx: ExportContext, trlStyle: TrlStyle): FormatWriter {
  switch (format) {
    case 'openai':
      return openaiWriter(samples, ctx);
    case 'trl':
      return trlWriter(samples, ctx, trlStyle);
    case 'alpaca':
      return alpacaWriter(samples, ctx);
    case 'sharegpt':
      return sharegptWriter(samples, ctx);
  }
}
