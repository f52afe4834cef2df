/**
 * Real tool execution for the agent kind (`conversation.tool_results: execute`): the calls of one assistant
 * step run on a ToolExecutor (src/providers/mcp.ts's McpToolServer is one) and come back as one tool message
 * per call, with the call's id, plus a log entry per call. A tool error is a result (the episode goes on and
 * the assistant must handle it); a failed request throws.
 */
import type { Message, ToolCall } from '../types.js';

export interface ToolExecutor {
  callTool(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
}

export interface ToolCallLogEntry {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  text: string;
  isError: boolean;
}

/** The tool message content of a result: the text, or `{"error": text}` for a tool error that is not JSON already. */
export function toolResultContent(result: { text: string; isError: boolean }): string {
  if (!result.isError) return result.text;
  try {
    const parsed = JSON.parse(result.text) as unknown;
    if (parsed && typeof parsed === 'object') return result.text;
  } catch {
    // plain text: wrapped below
  }
  return JSON.stringify({ error: result.text });
}

/** Runs the calls in order (tools may depend on each other's side effects) and answers each id once. */
export async function executeStep(calls: readonly ToolCall[], executor: ToolExecutor): Promise<{ messages: Message[]; log: ToolCallLogEntry[] }> {
  const messages: Message[] = [];
  const log: ToolCallLogEntry[] = [];
  for (const call of calls) {
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    const result = await executor.callTool(call.function.name, args);
    messages.push({ role: 'tool', tool_call_id: call.id, content: toolResultContent(result) });
    log.push({ id: call.id, name: call.function.name, arguments: args, text: result.text, isError: result.isError });
  }
  return { messages, log };
}
