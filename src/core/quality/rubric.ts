/**
 * The judge's rubric: named criteria with weights, scored 1-5. Each dataset type has defaults; a config may
 * reweight them, pick a subset, or add its own criterion, which must then say what it means (a
 * `description`), because the judge is only told what a criterion's name and description say. A name
 * outside the defaults without a description is a config error: it is almost always a typo.
 */
import type { DatasetType } from '../types.js';

export interface Criterion {
  name: string;
  weight: number;
  description: string;
}

export interface CriterionInput {
  name: string;
  weight: number;
  description?: string | undefined;
}

const BASIC: Criterion[] = [
  { name: 'relevance', weight: 1, description: 'The conversation is about the topic it was written for and stays on it.' },
  { name: 'correctness', weight: 1, description: 'What the assistant says is factually and technically correct; nothing is made up.' },
  {
    name: 'follows_instructions',
    weight: 1,
    description: 'The assistant follows the requested tone, response length and formats.',
  },
  {
    name: 'realistic_user',
    weight: 1,
    description: 'The user turns read like a real person of the stated audience would write them, not like a prompt.',
  },
];

const REASONING: Criterion[] = [
  ...BASIC,
  { name: 'sound_reasoning', weight: 1, description: 'The reasoning is correct, relevant and leads to the final answer.' },
];

const AGENT: Criterion[] = [
  ...BASIC,
  { name: 'right_tool', weight: 1, description: 'The assistant calls the right tool with correct, complete arguments when a tool is needed, and none when not.' },
  { name: 'uses_tool_results', weight: 1, description: 'The final answer uses what the tool results returned and does not contradict them.' },
];

export const DEFAULT_CRITERIA: Record<DatasetType, readonly Criterion[]> = {
  basic: BASIC,
  reasoning: REASONING,
  agent: AGENT,
};

/** The criteria a judge scores: the configured ones (descriptions filled from the defaults), or the defaults. */
export function resolveCriteria(type: DatasetType, configured: readonly CriterionInput[]): Criterion[] {
  const defaults = DEFAULT_CRITERIA[type];
  if (configured.length === 0) return defaults.map((c) => ({ ...c }));
  return configured.map((c) => {
    const known = defaults.find((d) => d.name === c.name);
    return { name: c.name, weight: c.weight, description: c.description ?? known?.description ?? '' };
  });
}

/**
 * Why a configured criterion list is refused, or null: a name that is not a default of the dataset type
 * and has no description, or a name given twice. `at` is its index in `quality.judge.criteria`.
 */
export function criteriaProblem(type: DatasetType, configured: readonly CriterionInput[]): { at: number; message: string } | null {
  const defaults = DEFAULT_CRITERIA[type].map((c) => c.name);
  const seen = new Set<string>();
  for (const [at, c] of configured.entries()) {
    if (seen.has(c.name)) return { at, message: `criterion "${c.name}" is listed twice` };
    seen.add(c.name);
    if (c.description === undefined && !defaults.includes(c.name)) {
      return {
        at,
        message: `unknown criterion "${c.name}" for a ${type} dataset (known: ${defaults.join(', ')}; give a description to add your own)`,
      };
    }
  }
  return null;
}
