/** What `synthloom plan` adds for a config with `sources:`: documents, chunks, questions and what the chunks add to the cost. */
import type { Config } from '../core/config.js';
import { groundingInputCost, prepareGrounding } from '../core/grounding/index.js';
import { formatUsd, priceFor } from '../core/prices.js';

const SHOWN_CHUNKS = 20;

export interface GroundingPlanView {
  lines: string[];
  json: Record<string, unknown>;
}

/** Reads the documents (a SourceError, exit 2, names a bad file) and describes the grounded part of the plan. */
export async function groundingPlanView(config: Config, baseDir: string): Promise<GroundingPlanView> {
  const prep = await prepareGrounding(config, baseDir);
  const f = prep.plan.figures;
  const cost = groundingInputCost(prep, config, priceFor(config));
  const strategies = Object.entries(f.byStrategy)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const g = config.grounding;
  const lines = [
    '',
    `Grounding: ${f.documents} document(s), ${f.chunks} chunk(s) of up to ${g.chunk_tokens} tokens (${g.overlap_tokens} overlap), ` +
      `${f.slots} question(s): ${strategies}; context in the row: ${g.context}`,
    `  tokens per chunk: min ${f.tokensPerChunk.min}, mean ${f.tokensPerChunk.mean}, max ${f.tokensPerChunk.max}` +
      (prep.droppedIdentical > 0 ? `; ${prep.droppedIdentical} identical chunk(s) dropped` : ''),
    `  the chunks${prep.examples ? ' and examples' : ''} add ${cost.inputTokens} input tokens to the calls: ${formatUsd(cost.usdWithoutCache)}, ` +
      `${formatUsd(cost.usd)} with prompt caching (${cost.cachedTokens} tokens read from the cache)`,
    '  chunks:',
    ...prep.chunks.slice(0, SHOWN_CHUNKS).map((c) => {
      const where = c.headings.length > 0 ? `  ${c.headings.join(' > ')}` : '';
      return `    ${c.id}  ${c.file}${where}  ${c.tokens} tokens, chars ${c.char_start}-${c.char_end}`;
    }),
  ];
  if (prep.chunks.length > SHOWN_CHUNKS) lines.push(`    and ${prep.chunks.length - SHOWN_CHUNKS} more`);
  for (const note of prep.notes) lines.push(`  note: ${note}`);
  if (prep.examples && config.examples) lines.push(`Few-shot: ${prep.examples.length} example(s) from ${config.examples.path}, ${config.examples.k} per request`);
  return {
    lines,
    json: {
      figures: f,
      droppedIdentical: prep.droppedIdentical,
      cost,
      chunks: prep.chunks.map(({ id, file, headings, tokens, char_start, char_end }) => ({ id, file, headings, tokens, char_start, char_end })),
      notes: prep.notes,
      examples: prep.examples?.length ?? 0,
    },
  };
}
