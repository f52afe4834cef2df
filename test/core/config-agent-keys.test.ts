import { describe, expect, test } from 'vitest';
import { parseConfigText } from '../../src/core/config.js';
import { mergeToolsIntoYaml } from '../../src/core/config-tools.js';
import { UsageError } from '../../src/core/errors.js';

const minimal = 'name: t\ntask: support\ndomain: returns\nsize: 10\n';
const problem = (text: string) => {
  try {
    parseConfigText(text, 'c.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
};

describe('SPEC 11 agent keys', () => {
  test('default to no MCP server, simulated results and 5 agent steps', () => {
    expect(parseConfigText(minimal, 'c.yaml').conversation).toMatchObject({ tools_from: null, tool_results: 'simulate', agent_steps: 5 });
  });

  test('take a command or a URL, and an agent dataset may get its tools from the server alone', () => {
    const stdio = parseConfigText(`${minimal}conversation: {type: agent, tools_from: {command: [node, server.js]}, tool_results: execute, agent_steps: 3}\n`, 'c.yaml');
    expect(stdio.conversation).toMatchObject({ tools_from: { command: ['node', 'server.js'] }, tool_results: 'execute', agent_steps: 3 });
    const http = parseConfigText(`${minimal}conversation: {type: agent, tools_from: {url: 'http://127.0.0.1:3000/mcp'}}\n`, 'c.yaml');
    expect(http.conversation.tools_from).toEqual({ url: 'http://127.0.0.1:3000/mcp' });
  });

  test('refuse what cannot work, naming the field', () => {
    expect(problem(`${minimal}conversation: {tool_results: execute}\n`)).toMatch(/conversation\.tool_results: execute needs an MCP server in conversation\.tools_from/);
    expect(problem(`${minimal}conversation: {agent_steps: 0}\n`)).toMatch(/conversation\.agent_steps/);
    expect(problem(`${minimal}conversation: {tool_results: run}\n`)).toMatch(/conversation\.tool_results/);
    expect(problem(`${minimal}conversation: {tools_from: {command: []}}\n`)).toMatch(/conversation\.tools_from/);
  });

  test('tools merge into YAML with the Document API (comments and flow style elsewhere kept)', () => {
    const text = `${minimal}# keep me\nconversation: {type: agent}\nsplits: {train: 1}\n`;
    const merged = mergeToolsIntoYaml(text, [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }]);
    expect(merged.added).toEqual(['get_weather']);
    expect(merged.text).toContain('# keep me');
    expect(merged.text).toContain('splits: { train: 1 }');
    expect(parseConfigText(merged.text, 'c.yaml').conversation.tools[0]?.function.name).toBe('get_weather');
    expect(() => mergeToolsIntoYaml('conversation: [1]\n', [])).toThrow(/conversation must be a mapping/);
  });
});

describe('the dataset-kind presets', () => {
  test('parse, and their tool schemas compile and build answer schemas a strict server accepts', async () => {
    const { loadConfig } = await import('../../src/core/config.js');
    const { toolSchemaProblem } = await import('../../src/core/kinds/tool-args.js');
    const { agentAnswerSchema } = await import('../../src/core/kinds/agent-schema.js');
    const { schemaViolations } = await import('../server/schema-rules.js');
    expect(loadConfig('reasoning-math-tutor').config.conversation).toMatchObject({ type: 'reasoning', multi_turn: 0.4 });
    for (const name of ['agent-travel', 'agent-support-multiturn']) {
      const config = loadConfig(name).config;
      expect(config.conversation.type).toBe('agent');
      for (const tool of config.conversation.tools) expect(toolSchemaProblem(tool)).toBeNull();
      for (const dialect of ['openai', 'anthropic'] as const) {
        expect(schemaViolations(agentAnswerSchema(config.conversation.tools, { examples: 2, dialect }), dialect)).toEqual([]);
      }
    }
    expect(loadConfig('agent-support-multiturn').config.conversation).toMatchObject({ multi_turn: 1, agent_steps: 5 });
  });
});
