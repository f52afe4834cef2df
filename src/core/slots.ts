/**
 * Slots: the units of work. A slot is replica N of a leaf topic, named `TOPICID_rN`, stable across runs.
 * Its diversity axes are derived from the config and the slot's position alone, so they never need to be
 * stored and are the same on every resume.
 */
import type { Config } from './config.js';
import { ANGLES } from './prompts.js';
import { hash32 } from './random.js';
import type { LeafTarget, SlotSpec } from './types.js';

export function slotId(topicId: string, replica: number): string {
  return `${topicId}_r${replica}`;
}

/** Golden-ratio sequence: spreads a fraction evenly over positions (deterministic, low discrepancy). */
function spread(index: number, salt: number): number {
  const x = (index + 1) * 0.6180339887498949 + salt;
  return x - Math.floor(x);
}

const COMPLEXITY_CYCLE: SlotSpec['complexity'][] = ['simple', 'moderate', 'complex'];

export const EDGE_CASE_SHARE = 0.15;
export const NEGATIVE_SHARE = 0.1;

export function slotSpecs(config: Config, leaves: readonly LeafTarget[]): SlotSpec[] {
  const specs: SlotSpec[] = [];
  const audience = config.audience;
  const salt = (hash32(String(config.seed)) % 1000) / 1000;
  let index = 0;
  for (const leaf of leaves) {
    for (let replica = 0; replica < leaf.target; replica++, index++) {
      const id = slotId(leaf.topicId, replica);
      const h = hash32(`${config.seed}:${id}`);
      const complexity =
        config.complexity === 'mixed' ? COMPLEXITY_CYCLE[(index + (h % 3)) % 3]! : config.complexity === 'simple' ? 'simple' : 'complex';
      const multi = spread(index, salt) < config.conversation.multi_turn;
      const maxTurns = config.conversation.max_turns;
      const turns = multi && maxTurns > 1 ? 2 + (h % (maxTurns - 1)) : 1;
      const s = spread(index, salt + 0.37);
      let scenario: SlotSpec['scenario'] = 'typical';
      if (config.negatives && s < NEGATIVE_SHARE) scenario = 'negative';
      else if (config.edge_cases && s >= 1 - EDGE_CASE_SHARE) scenario = 'edge_case';
      specs.push({
        id,
        topicId: leaf.topicId,
        replica,
        category: leaf.category,
        path: leaf.path,
        audience: audience[index % audience.length]!,
        complexity,
        turns,
        scenario,
        angle: ANGLES[(h >>> 8) % ANGLES.length]!,
      });
    }
  }
  return specs;
}
