/** The kind stage: the example becomes canonical messages, and the dataset kind's own checks run. */
import { PASS, reject, type SampleStage } from './types.js';

export const kindStage: SampleStage = {
  name: 'kind',
  run(c, { config, kind }) {
    const problem = kind.check(c.example, c.slot, config);
    if (problem) return reject(problem.kind, problem.message);
    c.mapped = kind.toMessages(c.example, config, c.slot);
    if (c.mapped.extra) Object.assign(c.extra, c.mapped.extra);
    return PASS;
  },
};
