/**
 * `conversation.tool_results: execute`, as a sample stage: every assistant step's tool calls run on the
 * tools_from server (a ToolExecutor: src/providers/mcp.ts's McpToolServer), in order, and the tool messages
 * that answer them take the real results (a tool error becomes an error result). Limit: the example was
 * generated in one request, so the assistant's later turns were written against the model's own results,
 * not these; step-by-step episodes (one request per step, after the real results) are not built yet.
 */
import { executeStep, type ToolCallLogEntry, type ToolExecutor } from '../kinds/tool-executor.js';
import type { Message } from '../types.js';
import { messagesOf, PASS, reject, type SampleStage } from './types.js';

export function executeToolsStage(executor: ToolExecutor, onCall?: (entry: ToolCallLogEntry) => void): SampleStage {
  return {
    name: 'execute-tools',
    async run(c) {
      const messages: Message[] = messagesOf(c).map((m) => ({ ...m }));
      for (let i = 0; i < messages.length; i++) {
        const calls = messages[i]?.tool_calls;
        if (!calls || calls.length === 0) continue;
        let step: Awaited<ReturnType<typeof executeStep>>;
        try {
          step = await executeStep(calls, executor);
        } catch (err) {
          return reject('network', `executing ${calls.map((t) => t.function.name).join(', ')} on the tools server failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        const byId = new Map(step.messages.map((m) => [m.tool_call_id, m.content]));
        for (let j = i + 1; j < messages.length && messages[j]?.role === 'tool'; j++) {
          const m = messages[j] as Message;
          const real = byId.get(m.tool_call_id);
          if (real !== undefined) messages[j] = { ...m, content: real };
        }
        for (const entry of step.log) onCall?.(entry);
      }
      c.mapped = { ...c.mapped!, messages };
      return PASS;
    },
  };
}
