/** The demo provider's tool-call arguments are valid for every preset tool's schema (ajv, as real calls are checked). */
import { readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { demoValue } from '../../src/core/kinds/demo-args.js';
import { validateToolCall } from '../../src/core/kinds/tool-args.js';
import { mulberry32 } from '../../src/core/random.js';

test('demo arguments validate against every tool of every preset', () => {
  let checked = 0;
  for (const file of readdirSync('presets').filter((f) => f.endsWith('.yaml'))) {
    const tools = loadConfig(`presets/${file}`).config.conversation.tools;
    for (const tool of tools) {
      for (let seed = 0; seed < 20; seed++) {
        const args = demoValue(tool.function.parameters ?? { type: 'object' }, mulberry32(seed)) as Record<string, unknown>;
        const check = validateToolCall({ name: tool.function.name, arguments: args }, tools);
        expect(check.ok, `${file} ${tool.function.name}: ${check.ok ? '' : check.message}`).toBe(true);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(100);
});
