/** SPEC 5.1: the canonical sample an accepted candidate becomes (the system prompt first when one is set). */
import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import type { Candidate } from './stages/index.js';
import type { Sample } from './types.js';

export function buildSample(c: Candidate, config: Config, demo: boolean): Sample {
  const mapped = c.mapped!;
  return {
    id: randomUUID(),
    slot: c.slot.id,
    category: c.slot.category,
    topic: c.slot.path[c.slot.path.length - 1] ?? c.slot.category,
    messages: config.system_prompt && mapped.messages[0]?.role !== 'system' ? [{ role: 'system', content: config.system_prompt }, ...mapped.messages] : mapped.messages,
    ...(mapped.reasoning !== undefined ? { reasoning: mapped.reasoning } : {}),
    ...(mapped.tools ? { tools: mapped.tools } : {}),
    ...c.extra,
    model: c.model,
    usage: c.usage,
    created_at: new Date().toISOString(),
    ...(demo ? { demo: true } : {}),
  };
}
