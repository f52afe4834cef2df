/**
 * The turn-count stage, for every kind: an example must have the user-turn count its slot was planned with
 * (the plan's multi-turn share is only true of the output if each slot gets the turns it was given). A
 * rejection is of kind `schema` and is retried with the message as feedback.
 */
import { messagesOf, PASS, reject, type SampleStage } from './types.js';

export const turnsStage: SampleStage = {
  name: 'turns',
  run(c) {
    const users = messagesOf(c).filter((m) => m.role === 'user').length;
    const planned = c.slot.turns;
    if (users === planned) return PASS;
    return reject('schema', `the example has ${users} user turn${users === 1 ? '' : 's'}, but it was planned with exactly ${planned}: write ${planned} user turn${planned === 1 ? '' : 's'}, each answered by the assistant`);
  },
};
