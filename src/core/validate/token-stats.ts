/**
 * Tokens per example (o200k, what OpenAI bills) and the OpenAI cookbook's epochs heuristic: 3 epochs,
 * raised for small files and lowered for large ones so examples x epochs stays within 100..25,000.
 */
import type { ExportFormat } from '../config.js';
import { countTokens } from '../tokens.js';
import { isRecord } from './problems.js';

/** Longest single training example the current OpenAI fine-tunable models take. */
export const EXAMPLE_TOKEN_LIMIT = 65_536;

export interface TokenSummary {
  examples: number;
  min: number;
  mean: number;
  max: number;
  total: number;
  overLimit: number;
  limit: number;
  epochs: number;
  billedTokens: number;
}

function textTokens(v: unknown): number {
  if (typeof v === 'string') return countTokens(v);
  if (Array.isArray(v)) return v.reduce((n: number, part) => n + (isRecord(part) ? textTokens(part.text) : 0), 0);
  return 0;
}

function messageTokens(messages: unknown[]): number {
  let total = 3;
  for (const m of messages) {
    if (!isRecord(m)) continue;
    total += 4 + textTokens(m.content);
    if (m.tool_calls !== undefined) total += countTokens(JSON.stringify(m.tool_calls));
  }
  return total;
}

export function exampleTokens(row: Record<string, unknown>, format: ExportFormat | null): number {
  const tools = row.tools === undefined || row.tools === null ? 0 : countTokens(typeof row.tools === 'string' ? row.tools : JSON.stringify(row.tools));
  if (format === 'sharegpt' && Array.isArray(row.conversations)) {
    return tools + 3 + row.conversations.reduce((n: number, t) => n + 4 + (isRecord(t) ? textTokens(t.value) : 0), 0);
  }
  if (format === 'alpaca') return 3 + ['system', 'instruction', 'input', 'output'].reduce((n, k) => n + textTokens(row[k]), 0);
  if (Array.isArray(row.messages)) return tools + messageTokens(row.messages);
  if (Array.isArray(row.prompt) && Array.isArray(row.completion)) return tools + messageTokens([...row.prompt, ...row.completion]);
  return tools + textTokens(row.prompt) + textTokens(row.completion);
}

export function openaiEpochs(examples: number): number {
  const target = 3;
  if (examples === 0) return 0;
  if (examples * target < 100) return Math.min(25, Math.floor(100 / examples));
  if (examples * target > 25_000) return Math.max(1, Math.floor(25_000 / examples));
  return target;
}

export function summarizeTokens(counts: readonly number[]): TokenSummary {
  const total = counts.reduce((a, b) => a + b, 0);
  const epochs = openaiEpochs(counts.length);
  return {
    examples: counts.length,
    min: counts.reduce((a, b) => Math.min(a, b), counts[0] ?? 0),
    mean: counts.length ? total / counts.length : 0,
    max: counts.reduce((a, b) => Math.max(a, b), 0),
    total,
    overLimit: counts.filter((n) => n > EXAMPLE_TOKEN_LIMIT).length,
    limit: EXAMPLE_TOKEN_LIMIT,
    epochs,
    billedTokens: epochs * counts.reduce((a, n) => a + Math.min(n, EXAMPLE_TOKEN_LIMIT), 0),
  };
}
