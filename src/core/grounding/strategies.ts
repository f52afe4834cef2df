/** The question strategies of grounded generation: what each asks the generator for, and the default mix. */
import type { GroundingStrategy } from '../config.js';

export interface WeightedStrategy {
  name: GroundingStrategy;
  weight: number;
}

/** Used when `grounding.strategies` is empty. */
export const DEFAULT_STRATEGIES: readonly WeightedStrategy[] = [
  { name: 'factual', weight: 0.5 },
  { name: 'analytical', weight: 0.25 },
  { name: 'summarization', weight: 0.15 },
  { name: 'unanswerable', weight: 0.1 },
];

export const STRATEGY_INSTRUCTIONS: Record<GroundingStrategy, string> = {
  factual:
    'Ask a specific factual question that the passage answers directly. The answer states the fact as the passage gives it, ' +
    'with names, numbers and terms exactly as written there.',
  analytical:
    'Ask a question that needs reasoning over the passage (why, how, what follows, how two points relate). The answer ' +
    'explains the reasoning using only what the passage says.',
  summarization: 'Ask for a summary of the passage or of one part of it. The answer summarises faithfully, adding nothing.',
  multi_hop:
    'Ask a question that can only be answered by combining a fact from passage A with a fact from passage B. The answer ' +
    'connects both and says nothing neither passage supports.',
  unanswerable:
    'Ask a plausible question on the same subject that the passage does NOT answer. The answer says plainly that the ' +
    'provided text does not contain this information, and may say what it does cover. It must not guess.',
};

export function strategiesOf(list: readonly WeightedStrategy[]): WeightedStrategy[] {
  return (list.length > 0 ? list : DEFAULT_STRATEGIES).filter((s) => s.weight > 0).map((s) => ({ name: s.name, weight: s.weight }));
}
