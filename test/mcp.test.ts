/**
 * The MCP client wrapper and `synthloom tools import` against a real MCP server written with the official SDK
 * (test/mcp/server.ts, started as a child process over stdio, with a call log), and against a streamable HTTP
 * server on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { splitCommand, toolsCommand } from '../src/commands/tools.js';
import { loadConfig, validateConfig } from '../src/core/config.js';
import { UsageError } from '../src/core/errors.js';
import { validateToolCall } from '../src/core/kinds/tool-args.js';
import { executeStep } from '../src/core/kinds/tool-executor.js';
import { McpToolServer, safeUrl } from '../src/providers/mcp.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'synthloom-mcp-'));
const callLog = join(tmp, 'calls.jsonl');
const serverCommand = [process.execPath, '--import', 'tsx', join(repoRoot, 'test', 'mcp', 'server.ts'), callLog];

let server: McpToolServer;
beforeAll(async () => {
  server = await McpToolServer.connect({ command: serverCommand }, { cwd: repoRoot, timeoutMs: 20_000 });
}, 30_000);
afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: { write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => (err.push(s), true) } as unknown as NodeJS.WritableStream,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const quoted = (argv: string[]) => argv.map((a) => `"${a}"`).join(' ');

describe('McpToolServer over stdio', () => {
  it('lists the tools as OpenAI-style function definitions with their JSON schemas', async () => {
    const tools = await server.listTools();
    expect(tools.map((t) => t.function.name).sort()).toEqual(['get_weather', 'lookup_order', 'search_flights']);
    const order = tools.find((t) => t.function.name === 'lookup_order')!;
    expect(order.type).toBe('function');
    expect(order.function.description).toBe('Find an order by its number.');
    expect(order.function.parameters).toMatchObject({ type: 'object', properties: { order_id: { type: 'string', pattern: '^ORD-[0-9]{6}$' } }, required: ['order_id'] });
    // the imported schemas are what tool-call validation checks against
    expect(validateToolCall({ name: 'lookup_order', arguments: { order_id: 'ORD-123456' } }, tools)).toMatchObject({ ok: true });
    expect(validateToolCall({ name: 'lookup_order', arguments: { order_id: '123' } }, tools).ok).toBe(false);
    expect(validateToolCall({ name: 'search_flights', arguments: { origin: 'LIS', destination: 'KIX', date: '2027-01-02', passengers: 12 } }, tools).ok).toBe(false);
  });

  it('executes calls: result text, tool errors as isError, and the server call log matches', async () => {
    writeFileSync(callLog, '');
    const calls: Array<[string, Record<string, unknown>]> = [
      ['get_weather', { city: 'Oslo' }],
      ['lookup_order', { order_id: 'ORD-204816' }],
      ['lookup_order', { order_id: 'ORD-204817' }],
      ['get_weather', { city: 'Denver', units: 'imperial' }],
    ];
    const results = [];
    for (const [name, args] of calls) results.push(await server.callTool(name, args));
    expect(results.map((r) => r.isError)).toEqual([false, false, true, false]);
    expect(JSON.parse(results[0]!.text)).toEqual({ city: 'Oslo', temp_c: 28 });
    expect(JSON.parse(results[2]!.text)).toEqual({ error: 'order ORD-204817 not found' });
    const log = readFileSync(callLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; arguments: unknown; isError: boolean; text: string });
    expect(log.map((l) => [l.tool, l.arguments])).toEqual(calls);
    expect(log.map((l) => l.text)).toEqual(results.map((r) => r.text));
  });

  it('reports arguments the server refuses as a tool error, an unknown tool too, without breaking the session', async () => {
    const bad = await server.callTool('lookup_order', { order_id: 'nope' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/order_id/);
    const unknown = await server.callTool('send_email', {});
    expect(unknown.isError).toBe(true);
    expect((await server.callTool('get_weather', { city: 'Lima' })).isError).toBe(false);
  });

  it('executes an assistant step: one tool message per call id, errors as {"error"} results, a log that matches the server', async () => {
    writeFileSync(callLog, '');
    const calls = [
      { id: 'k3Fh8Qm2a', type: 'function' as const, function: { name: 'lookup_order', arguments: '{"order_id":"ORD-000021"}' } },
      { id: 'Z9x7Wq1bc', type: 'function' as const, function: { name: 'search_flights', arguments: '{"origin":"LIS","destination":"OSL","date":"2027-02-02","passengers":3}' } },
      { id: 'P0o9I8u7y', type: 'function' as const, function: { name: 'lookup_order', arguments: '{"order_id":"bad"}' } },
    ];
    const { messages, log } = await executeStep(calls, server);
    expect(messages.map((m) => [m.role, m.tool_call_id])).toEqual(calls.map((c) => ['tool', c.id]));
    expect(JSON.parse(messages[0]!.content)).toEqual({ error: 'order ORD-000021 not found' });
    expect(JSON.parse(messages[1]!.content)).toEqual({ flights: [{ number: 'LISOSL1', seats_left: 7 }] });
    expect(JSON.parse(messages[2]!.content).error).toMatch(/order_id/);
    expect(log.map((l) => l.isError)).toEqual([true, false, true]);
    const serverLog = readFileSync(callLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; arguments: unknown; text: string });
    // the refused call never reached the tool handler: the server logs the two it ran, in order
    expect(serverLog.map((l) => [l.tool, l.arguments, l.text])).toEqual(log.slice(0, 2).map((l) => [l.name, l.arguments, l.text]));
  });

  it('names the server and its stderr when it cannot start', async () => {
    await expect(McpToolServer.connect({ command: [process.execPath, '-e', 'console.error("boom: missing config"); process.exit(3)'] }, { timeoutMs: 5000 })).rejects.toThrow(
      /MCP server ".*": could not connect: .*boom: missing config/,
    );
  });
});

describe('McpToolServer over streamable HTTP', () => {
  let http: Server;
  let url: string;
  beforeAll(async () => {
    http = createServer(async (req, res) => {
      const mcp = new McpServer({ name: 'http-desk', version: '1.0.0' });
      mcp.registerTool('convert_currency', { description: 'Convert an amount.', inputSchema: { amount: z.number(), to: z.enum(['EUR', 'USD']) } }, async (args) => ({
        content: [{ type: 'text', text: `${(args.amount * 1.1).toFixed(2)} ${args.to}` }],
      }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => void transport.close());
      await mcp.connect(transport);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown) : undefined;
      await transport.handleRequest(req, res, body);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://user:s3cret@127.0.0.1:${(http.address() as AddressInfo).port}/mcp?token=abc`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  });

  it('lists and calls tools, and keeps URL credentials out of messages', async () => {
    const remote = await McpToolServer.connect({ url: url.replace('user:s3cret@', '') }, { timeoutMs: 5000 });
    try {
      expect((await remote.listTools()).map((t) => t.function.name)).toEqual(['convert_currency']);
      expect(await remote.callTool('convert_currency', { amount: 10, to: 'EUR' })).toEqual({ text: '11.00 EUR', isError: false });
    } finally {
      await remote.close();
    }
    expect(safeUrl(url)).toBe(`http://127.0.0.1:${new URL(url).port}/mcp`);
    const down = McpToolServer.connect({ url: 'http://user:s3cret@127.0.0.1:9/mcp?token=abc' }, { timeoutMs: 3000 });
    await expect(down).rejects.toThrow(/MCP server http:\/\/127\.0\.0\.1:9\/mcp: could not connect/);
    await down.catch((err: Error) => expect(err.message).not.toMatch(/s3cret|token=abc/));
  });
});

describe('synthloom tools import', () => {
  const config = join(tmp, 'agent.yaml');
  const original = [
    '# Travel agent dataset (hand-written)',
    'name: travel-agent',
    'task: plan trips with tools',
    'domain: travel',
    'size: 20 # small first run',
    'conversation:',
    '  type: agent',
    '  tools:',
    '    - type: function',
    '      function:',
    '        name: book_hotel',
    '        description: Reserve a hotel room.',
    '        parameters: {type: object, properties: {city: {type: string}}, required: [city]}',
    '    - type: function',
    '      function:',
    '        name: get_weather',
    '        description: old description',
    'budget_usd: 3',
    '',
  ].join('\n');

  it('merges the server tools into conversation.tools, keeping the rest of the YAML and its comments', async () => {
    writeFileSync(config, original);
    const c = capture();
    expect(await toolsCommand(['import', '--command', quoted(serverCommand), '--config', config], c.io)).toBe(0);
    expect(c.out()).toMatch(/wrote 3 tool\(s\) into .* added lookup_order, search_flights; replaced get_weather; kept book_hotel/);
    const text = readFileSync(config, 'utf8');
    expect(text).toContain('# Travel agent dataset (hand-written)');
    expect(text).toContain('size: 20 # small first run');
    expect(text).toContain('budget_usd: 3');
    const loaded = loadConfig(config).config;
    expect(loaded.conversation.tools.map((t) => t.function.name)).toEqual(['book_hotel', 'get_weather', 'lookup_order', 'search_flights']);
    expect(loaded.conversation.tools[1]!.function.description).toBe('Current weather for a city.');
    // importing again changes nothing
    expect(await toolsCommand(['import', '--command', quoted(serverCommand), '--config', config], capture().io)).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(text);
  }, 30_000);

  it('prints a conversation.tools snippet without --config', async () => {
    const c = capture();
    expect(await toolsCommand(['import', '--command', quoted(serverCommand)], c.io)).toBe(0);
    expect(c.out()).toMatch(/^conversation:\n {2}tools:\n/);
    const cfg = validateConfig({ name: 'x', task: 't', domain: 'd', size: 1, conversation: { type: 'agent', ...(await import('yaml')).parse(c.out()).conversation } });
    expect(cfg.conversation.tools).toHaveLength(3);
  }, 30_000);

  it('refuses bad usage in one line (exit 2), and leaves the config untouched when the server fails', async () => {
    writeFileSync(config, original);
    const fail = (argv: string[]) => toolsCommand(argv, capture().io);
    await expect(fail(['import'])).rejects.toThrow(/exactly one of --command or --url/);
    await expect(fail(['import', '--command', 'x', '--url', 'http://127.0.0.1:9'])).rejects.toThrow(UsageError);
    await expect(fail(['import', '--url', 'not a url'])).rejects.toThrow(/--url: must be a URL/);
    await expect(fail(['import', '--command', 'node "unclosed'])).rejects.toThrow(/unclosed " quote/);
    await expect(fail(['frobnicate'])).rejects.toThrow(/unknown subcommand "frobnicate"/);
    await expect(fail(['import', '--command', `${process.execPath} -e "process.exit(1)"`, '--config', config])).rejects.toThrow(/could not connect/);
    expect(readFileSync(config, 'utf8')).toBe(original);
    await expect(fail(['import', '--command', quoted(serverCommand), '--config', join(tmp, 'missing.yaml')])).rejects.toThrow(/--config: .*missing\.yaml not found/);
  }, 30_000);

  it('splits a command line like a shell would, without running one', () => {
    expect(splitCommand(`npx -y "@scope/server pkg" --root '/tmp/a b' x\\ y`)).toEqual(['npx', '-y', '@scope/server pkg', '--root', '/tmp/a b', 'x y']);
    expect(splitCommand('  node   server.js  ')).toEqual(['node', 'server.js']);
  });
});
