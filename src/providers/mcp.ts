/**
 * An MCP server as a source of tools (official `@modelcontextprotocol/sdk` client): connect over stdio
 * (`{command: [PROGRAM, ARGS...]}`, the server runs as our child with a minimal environment, so no API key of
 * ours reaches it) or streamable HTTP (`{url}`), list its tools as OpenAI-style function definitions, and
 * execute calls (for `conversation.tool_results: execute`). Messages never carry a URL's credentials.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ToolsFrom } from '../core/config.js';
import type { ToolDefinition } from '../core/types.js';

export interface McpOptions {
  /** Per-request timeout (connect, list, call). Default 60 s. */
  timeoutMs?: number;
  /** Working directory of a stdio server (default: ours). */
  cwd?: string;
  /** Extra environment for a stdio server, on top of the SDK's minimal default (PATH, HOME, ...). */
  env?: Record<string, string>;
}

export interface McpCallResult {
  /** The result's text parts joined (structured content as JSON when there is no text). */
  text: string;
  /** The server marked the result as a tool error (a result the agent must handle, not a failed request). */
  isError: boolean;
}

export class McpError extends Error {}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A URL fit for messages: no user, password, query or fragment. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export function describeSource(source: ToolsFrom): string {
  return 'command' in source ? `MCP server "${source.command.join(' ').replace(CONTROL, '')}"` : `MCP server ${safeUrl(source.url)}`;
}

export class McpToolServer {
  private constructor(
    private readonly client: Client,
    private readonly label: string,
    private readonly timeoutMs: number,
    private readonly stderrTail: () => string,
  ) {}

  /** Connects and initializes; throws McpError naming the server on failure. */
  static async connect(source: ToolsFrom, options: McpOptions = {}): Promise<McpToolServer> {
    const label = describeSource(source);
    const timeoutMs = options.timeoutMs ?? 60_000;
    let tail = '';
    let transport: Transport;
    if ('command' in source) {
      const [command, ...args] = source.command;
      if (!command) throw new McpError('conversation.tools_from.command: give the program and its arguments');
      const stdio = new StdioClientTransport({
        command,
        args,
        cwd: options.cwd,
        env: { ...getDefaultEnvironment(), ...(options.env ?? {}) },
        stderr: 'pipe',
      });
      stdio.stderr?.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString('utf8')).slice(-600);
      });
      transport = stdio;
    } else {
      let url: URL;
      try {
        url = new URL(source.url);
      } catch {
        throw new McpError('conversation.tools_from.url: not a valid URL');
      }
      transport = new StreamableHTTPClientTransport(url);
    }
    const client = new Client({ name: 'synthloom', version: '0.1.0' });
    const stderrTail = () => tail.replace(CONTROL, ' ').trim().split('\n').slice(-3).join(' | ');
    try {
      await client.connect(transport, { timeout: timeoutMs });
    } catch (err) {
      await client.close().catch(() => undefined);
      const why = stderrTail();
      throw new McpError(`${label}: could not connect: ${reason(err)}${why ? ` (its stderr: ${why})` : ''}`);
    }
    return new McpToolServer(client, label, timeoutMs, stderrTail);
  }

  /** Every tool the server offers (all pages), as OpenAI-style function definitions. */
  async listTools(): Promise<ToolDefinition[]> {
    const out: ToolDefinition[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.client.listTools(cursor ? { cursor } : {}, { timeout: this.timeoutMs });
        for (const tool of page.tools) {
          const fn: ToolDefinition['function'] = { name: tool.name };
          if (tool.description) fn.description = tool.description;
          fn.parameters = (tool.inputSchema ?? { type: 'object', properties: {} }) as Record<string, unknown>;
          out.push({ type: 'function', function: fn });
        }
        cursor = page.nextCursor;
      } while (cursor);
    } catch (err) {
      throw new McpError(`${this.label}: tools/list failed: ${reason(err)}`);
    }
    return out;
  }

  /** Runs one tool. A tool error comes back as `isError: true`; a failed request throws McpError. */
  async callTool(name: string, args: Record<string, unknown>): Promise<McpCallResult> {
    let result: Awaited<ReturnType<Client['callTool']>>;
    try {
      result = await this.client.callTool({ name, arguments: args }, undefined, { timeout: this.timeoutMs });
    } catch (err) {
      throw new McpError(`${this.label}: tools/call ${name} failed: ${reason(err)}`);
    }
    const parts = Array.isArray(result.content) ? (result.content as Array<{ type: string; text?: string }>) : [];
    const texts = parts.map((p) => (p.type === 'text' ? (p.text ?? '') : `[${p.type}]`)).filter((t) => t !== '');
    let text = texts.join('\n');
    if (!text && result.structuredContent !== undefined) text = JSON.stringify(result.structuredContent);
    return { text, isError: result.isError === true };
  }

  /** The last lines the server wrote to stderr (stdio), for messages. */
  stderr(): string {
    return this.stderrTail();
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }
}

function reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // an SDK message may quote the URL it fetched: keep credentials out
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"']+/gi, (u) => safeUrl(u)).replace(CONTROL, ' ').slice(0, 300);
}
