/**
 * The result every heuristic quality check returns: ok (with the sample changed, when the check rewrites it,
 * as PII redaction does) or a `filtered` failure with a message for the failure panel.
 */
import type { Message } from '../types.js';

export type CheckResult<S = never> = { ok: true; sample?: S } | { ok: false; kind: 'filtered'; message: string };

/** What the checks look at: the conversation of a sample (the canonical sample satisfies it). */
export interface SampleLike {
  messages: Message[];
  reasoning?: string;
}
