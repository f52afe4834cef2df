/**
 * A small travel-desk MCP server for tests, written with the official SDK (stdio). Every call is appended to
 * the call log given as the first argument (JSONL: {tool, arguments, isError, text}), so a test can compare
 * what was executed with what landed in samples. It exits when its stdin closes (the client went away).
 */
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const log = process.argv[2];
const server = new McpServer({ name: 'travel-desk', version: '1.0.0' });

function answer(tool: string, args: unknown, value: unknown, isError = false) {
  const text = JSON.stringify(value);
  if (log) appendFileSync(log, `${JSON.stringify({ tool, arguments: args, isError, text })}\n`);
  return { content: [{ type: 'text' as const, text }], isError };
}

server.registerTool(
  'get_weather',
  { description: 'Current weather for a city.', inputSchema: { city: z.string().describe('City name'), units: z.enum(['metric', 'imperial']).optional() } },
  async (args) => {
    const t = (args.city.length * 7) % 30;
    return answer('get_weather', args, args.units === 'imperial' ? { city: args.city, temp_f: Math.round(t * 1.8 + 32) } : { city: args.city, temp_c: t });
  },
);

server.registerTool(
  'lookup_order',
  { description: 'Find an order by its number.', inputSchema: { order_id: z.string().regex(/^ORD-[0-9]{6}$/) } },
  async (args) => {
    const n = Number(args.order_id.slice(4));
    if (n % 2 === 1) return answer('lookup_order', args, { error: `order ${args.order_id} not found` }, true);
    return answer('lookup_order', args, { order_id: args.order_id, status: 'ticketed', total_eur: n % 1000 });
  },
);

server.registerTool(
  'search_flights',
  {
    description: 'Search scheduled flights between two airports on a date.',
    inputSchema: {
      origin: z.string().regex(/^[A-Z]{3}$/),
      destination: z.string().regex(/^[A-Z]{3}$/),
      date: z.string(),
      passengers: z.number().int().min(1).max(9),
    },
  },
  async (args) => answer('search_flights', args, { flights: [{ number: `${args.origin}${args.destination}1`, seats_left: 10 - args.passengers }] }),
);

await server.connect(new StdioServerTransport());
process.stdin.on('close', () => process.exit(0));
