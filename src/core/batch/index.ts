/** The batch execution mode's core pieces (docs/batch.md). Provider clients: src/providers/batch.ts. */
export * from './types.js';
export * from './custom-id.js';
export * from './chunk.js';
export * from './journal.js';
export * from './rediscover.js';
export * from './poll.js';
export * from './submit.js';
export * from './collect.js';
export * from './runner.js';
export * from './executor.js';
export * from './tally.js';
