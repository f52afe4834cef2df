/**
 * The price table (data/prices.yaml) and cost arithmetic. Unknown models are said to be unknown, never
 * priced at zero by accident; a config's provider.price overrides the table.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Config } from './config.js';
import type { TokenCounts } from './types.js';

export interface Price {
  /** USD per 1M input tokens. */
  input: number;
  output: number;
  source: string;
  date: string;
  retires?: string;
}

interface PriceTable {
  checked: string;
  source: string;
  models: Record<string, { input: number; output: number; retires?: string }>;
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
  return { input: entry.input, output: entry.output, source: 'price table', date: t.checked, retires: entry.retires ? String(entry.retires) : undefined };
}

/**
 * What the config's model costs per 1M tokens, sent the way `execution` says. The price follows how a
 * request was really sent, never the config's wish: a live request is live price even with `mode: batch`
 * (the executor that sends it says which price it books at).
 */
export function priceFor(config: Config, execution: 'live' | 'batch' = 'live'): Price | null {
  const base = config.provider.price
    ? { ...config.provider.price, source: 'config override (provider.price)', date: 'n/a' }
    : config.provider.name === 'demo'
      ? { input: 0, output: 0, source: 'demo provider (offline, free)', date: 'n/a' }
      : lookupPrice(config.provider.model);
  if (!base || execution === 'live') return base;
  // Batch APIs bill half (SPEC 10).
  return { ...base, input: base.input / 2, output: base.output / 2, source: `${base.source}, batch half price` };
}

export function costOf(tokens: TokenCounts, price: Price | null): number | null {
  if (!price) return null;
  return (tokens.input * price.input + tokens.output * price.output) / 1_000_000;
}

export function formatUsd(usd: number | null): string {
  if (usd === null) return 'unknown price';
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}
