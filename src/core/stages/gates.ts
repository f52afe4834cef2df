/**
 * The structural and quality gates of SPEC 6.3: role order, non-empty turns and tool-call consistency
 * (`schema`), answer length and leftover placeholders (`filtered`).
 */
import { checkConversation } from '../quality.js';
import { toolNamesOf } from '../kinds/index.js';
import { messagesOf, PASS, reject, type SampleStage } from './types.js';

export const gatesStage: SampleStage = {
  name: 'gates',
  run(c, { config, kind }) {
    const gate = checkConversation(messagesOf(c), { responseLength: config.response_length, datasetType: kind.type, toolNames: toolNamesOf(config) });
    return gate.ok ? PASS : reject(gate.kind, gate.message);
  },
};
