/** `synthloom tools import (--command CMD | --url URL) [--config FILE]`: tool definitions from an MCP server's tools/list. */
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { ToolsFromSchema, type ToolsFrom } from '../core/config.js';
import { acceptableTools, importToolsIntoConfig } from '../core/config-tools.js';
import { UsageError } from '../core/errors.js';
import { describeSource, McpError, McpToolServer } from '../providers/mcp.js';
import type { Io } from './reporters.js';

export const TOOLS_USAGE = 'usage: synthloom tools import (--command "PROGRAM ARGS..." | --url URL) [--config FILE]';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A command line split into words, with "double" and 'single' quotes and backslash escapes (no shell). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | null = null;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`--command: unclosed ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

export async function toolsCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout.write(`${TOOLS_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'import') throw new UsageError(`tools: unknown subcommand "${sub.replace(CONTROL, '')}"`, { hint: TOOLS_USAGE });
  let values: { command?: string; url?: string; config?: string; timeout?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: { command: { type: 'string' }, url: { type: 'string' }, config: { type: 'string' }, timeout: { type: 'string' } },
    }));
  } catch (err) {
    throw new UsageError(`tools import: ${(err as Error).message.split('\n')[0]}`, { hint: TOOLS_USAGE });
  }
  if ((values.command === undefined) === (values.url === undefined)) throw new UsageError('tools import: give exactly one of --command or --url', { hint: TOOLS_USAGE });
  const raw: ToolsFrom = values.command !== undefined ? { command: splitCommand(values.command) } : { url: values.url as string };
  const parsed = ToolsFromSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(values.command !== undefined ? '--command: give the program and its arguments' : '--url: must be a URL such as http://localhost:3000/mcp');
  const timeoutS = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError('--timeout: seconds, greater than 0');

  let server: McpToolServer | null = null;
  let tools;
  try {
    io.stderr.write(`connecting to ${describeSource(parsed.data)}...\n`);
    server = await McpToolServer.connect(parsed.data, { timeoutMs: timeoutS * 1000 });
    tools = await server.listTools();
  } catch (err) {
    if (err instanceof McpError) throw new UsageError(err.message);
    throw err;
  } finally {
    await server?.close();
  }
  const { ok, rejected } = acceptableTools(tools);
  for (const name of rejected) io.stderr.write(`skipped tool "${name.replace(CONTROL, '')}": tool names are 1-64 letters, digits, _ or - (and parameters an object)\n`);
  if (ok.length === 0) throw new UsageError(`${describeSource(parsed.data)} offers no tool a config can hold`);
  if (values.config === undefined) {
    io.stdout.write(stringify({ conversation: { tools: ok } }, { lineWidth: 0 }));
    return 0;
  }
  const merged = importToolsIntoConfig(values.config, ok);
  const clean = (names: string[]) => names.map((n) => n.replace(CONTROL, '')).join(', ') || 'none';
  io.stdout.write(
    `wrote ${ok.length} tool(s) into ${values.config} conversation.tools: added ${clean(merged.added)}; replaced ${clean(merged.replaced)}; kept ${clean(merged.kept)}\n`,
  );
  return 0;
}
