/**
 * The price table (data/prices.yaml) and cost arithmetic. Unknown models are said to be unknown, never
 * priced at zero by accident; a config's provider.price overrides the table.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Config } from './config.js';
import type { TokenCounts, Usage } from './types.js';

export interface Price {
  /** USD per 1M input tokens. */
  input: number;
  output: number;
  /** USD per 1M input tokens read from the prompt cache; absent: priced as `input`. */
  cachedInput?: number;
  /** USD per 1M input tokens written to the prompt cache (Anthropic, 5-minute); absent: priced as `input`. */
  cacheWrite?: number;
  source: string;
  date: string;
  retires?: string;
}

interface PriceTable {
  checked: string;
  source: string;
  models: Record<string, { input: number; output: number; cached_input?: number; cache_write?: number; retires?: string }>;
}

let table: PriceTable | undefined;

function loadTable(): PriceTable {
  if (!table) {
    const here = dirname(fileURLToPath(import.meta.url));
    const text = readFileSync(resolve(here, '..', '..', 'data', 'prices.yaml'), 'utf8');
    const raw = parse(text) as PriceTable;
    table = { ...raw, checked: String(raw.checked) };
  }
  return table;
}

/** Exact id first, then the longest table id that prefixes a dated id (gpt-4.1-mini-2025-04-14). */
export function lookupPrice(model: string): Price | null {
  const t = loadTable();
  const entry =
    t.models[model] ??
    Object.entries(t.models)
      .filter(([id]) => model.startsWith(`${id}-`))
      .sort((a, b) => b[0].length - a[0].length)[0]?.[1];
  if (!entry) return null;
  const price: Price = { input: entry.input, output: entry.output, source: 'price table', date: t.checked };
  if (entry.cached_input !== undefined) price.cachedInput = entry.cached_input;
  if (entry.cache_write !== undefined) price.cacheWrite = entry.cache_write;
  if (entry.retires) price.retires = String(entry.retires);
  return price;
}

/**
 * What the config's model costs per 1M tokens, sent the way `execution` says. The price follows how a
 * request was really sent, never the config's wish: a live request is live price even with `mode: batch`
 * (the executor that sends it says which price it books at).
 */
export function priceFor(config: Config, execution: 'live' | 'batch' = 'live'): Price | null {
  let base: Price | null;
  if (config.provider.price) {
    const { input, output, cached_input, cache_write } = config.provider.price;
    base = { input, output, source: 'config override (provider.price)', date: 'n/a' };
    if (cached_input !== undefined) base.cachedInput = cached_input;
    if (cache_write !== undefined) base.cacheWrite = cache_write;
  } else if (config.provider.name === 'demo') base = { input: 0, output: 0, source: 'demo provider (offline, free)', date: 'n/a' };
  else base = lookupPrice(config.provider.model);
  if (!base || execution === 'live') return base;
  // Batch APIs bill half (SPEC 10).
  return halfPrice(base);
}

function halfPrice(price: Price): Price {
  const half: Price = { ...price, input: price.input / 2, output: price.output / 2, source: `${price.source}, batch half price` };
  if (price.cachedInput !== undefined) half.cachedInput = price.cachedInput / 2;
  if (price.cacheWrite !== undefined) half.cacheWrite = price.cacheWrite / 2;
  return half;
}

/**
 * USD for token counts ({input, output}: all input at the input rate) or for a provider's Usage, whose
 * `input_tokens` include `cached_input_tokens` (priced at the cached rate) and `cache_write_tokens`
 * (priced at the cache-write rate); the rest of the input is priced at the input rate.
 */
export function costOf(tokens: TokenCounts | Usage, price: Price | null): number | null {
  if (!price) return null;
  if (!('input_tokens' in tokens)) return (tokens.input * price.input + tokens.output * price.output) / 1_000_000;
  const cached = Math.max(0, tokens.cached_input_tokens ?? 0);
  const written = Math.max(0, tokens.cache_write_tokens ?? 0);
  const plain = Math.max(0, tokens.input_tokens - cached - written);
  return (
    (plain * price.input + cached * (price.cachedInput ?? price.input) + written * (price.cacheWrite ?? price.input) + tokens.output_tokens * price.output) /
    1_000_000
  );
}

export function formatUsd(usd: number | null): string {
  if (usd === null) return 'unknown price';
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}
