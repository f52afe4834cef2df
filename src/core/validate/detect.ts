/** Which format a file is in, from the keys of its rows (and, for chat rows, the type of tool-call arguments). */
import type { ExportFormat } from '../config.js';
import { isRecord } from './problems.js';

export function detectFormat(rows: readonly unknown[]): ExportFormat | null {
  const first = rows.find((r) => isRecord(r) && ['conversations', 'instruction', 'output', 'prompt', 'completion', 'messages'].some((k) => k in r));
  if (!isRecord(first)) return null;
  if ('conversations' in first) return 'sharegpt';
  if ('instruction' in first || 'output' in first) return 'alpaca';
  if ('prompt' in first || 'completion' in first) return 'trl';
  for (const row of rows) {
    const args = firstArguments(row);
    if (typeof args === 'string') return 'openai';
    if (isRecord(args)) return 'trl';
  }
  // reasoning_content is TRL's (and Qwen3-style templates') field; OpenAI fine-tuning rejects it.
  if (rows.some((r) => isRecord(r) && Array.isArray(r.messages) && r.messages.some((m) => isRecord(m) && 'reasoning_content' in m))) return 'trl';
  return 'openai';
}

/** The first tool call's `arguments` in a chat row (undefined when it has none). */
export function firstArguments(row: unknown): unknown {
  if (!isRecord(row) || !Array.isArray(row.messages)) return undefined;
  for (const m of row.messages) {
    if (!isRecord(m) || !Array.isArray(m.tool_calls)) continue;
    for (const c of m.tool_calls) if (isRecord(c) && isRecord(c.function)) return c.function.arguments;
  }
  return undefined;
}
