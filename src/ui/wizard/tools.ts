/**
 * Tools for agent datasets: a few ready-made sets to pick from, and parsing of pasted OpenAI-style function
 * definitions (a list, a single tool, or the short `{name, description, parameters}` form).
 */
import type { z } from 'zod';
import { ConfigSchema } from '../../core/config.js';
import type { ToolDefinition } from '../../core/types.js';
import type { Parsed } from './parse.js';

function tool(name: string, description: string, properties: Record<string, unknown>, required: string[]): ToolDefinition {
  return {
    type: 'function',
    function: { name, description, parameters: { type: 'object', properties, required } },
  };
}

export interface ToolSet {
  id: string;
  label: string;
  tools: ToolDefinition[];
}

export const TOOL_SETS: readonly ToolSet[] = [
  {
    id: 'weather-calendar',
    label: 'weather + calendar',
    tools: [
      tool('get_weather', 'Current weather and forecast for a city', { city: { type: 'string' }, days: { type: 'integer' } }, ['city']),
      tool(
        'create_event',
        'Add an event to the user calendar',
        { title: { type: 'string' }, start: { type: 'string', description: 'ISO 8601 date-time' }, minutes: { type: 'integer' } },
        ['title', 'start'],
      ),
      tool('list_events', 'Events between two dates', { from: { type: 'string' }, to: { type: 'string' } }, ['from', 'to']),
    ],
  },
  {
    id: 'search-calculator',
    label: 'web search + calculator',
    tools: [
      tool('web_search', 'Search the web and return the top results', { query: { type: 'string' } }, ['query']),
      tool('calculate', 'Evaluate an arithmetic expression', { expression: { type: 'string' } }, ['expression']),
    ],
  },
  {
    id: 'orders-refunds',
    label: 'order lookup + refunds (support agent)',
    tools: [
      tool('lookup_order', 'Order status, items and dates by order id', { order_id: { type: 'string' } }, ['order_id']),
      tool(
        'issue_refund',
        'Refund an order, fully or in part',
        { order_id: { type: 'string' }, amount: { type: 'number' }, reason: { type: 'string' } },
        ['order_id', 'reason'],
      ),
    ],
  },
];

/** Wraps the short form `{name, parameters}` into `{type: 'function', function: {...}}`. */
function normalise(item: unknown): unknown {
  if (item && typeof item === 'object' && !Array.isArray(item) && !('function' in item) && 'name' in item) {
    return { type: 'function', function: item };
  }
  return item;
}

/** `tool 2: function.name: tool names are ...`, or `tool 1: unknown key "extra"`. */
function describeToolIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not a valid list of tools';
  const [, index, ...rest] = issue.path.map(String);
  const where = index === undefined ? '' : `tool ${Number(index) + 1}: `;
  const field = rest.length > 0 ? `${rest.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') return `${where}${field}unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `${where}${field}is required`;
  return `${where}${field}${issue.message}`;
}

export function parseToolsJson(raw: string): Parsed<ToolDefinition[]> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message.split('\n')[0]}` };
  }
  const list = (Array.isArray(json) ? json : [json]).map(normalise);
  const result = ConfigSchema.shape.conversation.safeParse({ type: 'agent', tools: list });
  if (!result.success) return { ok: false, error: describeToolIssue(result.error) };
  return { ok: true, value: result.data.tools as ToolDefinition[] };
}

export function toolNames(tools: readonly ToolDefinition[]): string {
  return tools.map((t) => t.function.name).join(', ');
}
