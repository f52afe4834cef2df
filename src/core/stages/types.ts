/**
 * Sample stages: the ordered checks one generated example passes before it becomes a sample (parse ->
 * kind checks -> quality gates -> duplicate check -> accept). Each stage is a small module with one
 * signature; a stage may be async and may spend (an LLM judge books its calls in the ledger through the
 * context), and later stages (judge, PII, grounding) plug in without touching the engine's loop.
 */
import type { Config } from '../config.js';
import type { DatasetKind, GeneratedExample, Mapped } from '../kinds/index.js';
import type { RunLedger } from '../ledger.js';
import type { DuplicateIndex } from '../minhash.js';
import type { FailureKind, Message, SlotSpec, Usage } from '../types.js';

/** One example on its way through the stages; stages may fill in what later ones use. */
export interface Candidate {
  slot: SlotSpec;
  example: GeneratedExample;
  /** The example as canonical messages (set by the kind stage), without the system prompt. */
  mapped?: Mapped;
  /** The text duplicates are compared on (set by the duplicate stage). */
  text?: string;
  /** This example's share of its request's usage. */
  usage: Usage;
  model: string;
  /** Extra fields stages add to the accepted sample (for example judge scores). */
  extra: Record<string, unknown>;
}

export type StageVerdict = { ok: true } | { ok: false; kind: FailureKind; message: string };

export interface StageContext {
  config: Config;
  kind: DatasetKind;
  dedup: DuplicateIndex;
  ledger: RunLedger;
  signal?: AbortSignal;
}

export interface SampleStage {
  readonly name: string;
  run(candidate: Candidate, ctx: StageContext): StageVerdict | Promise<StageVerdict>;
}

export const PASS: StageVerdict = { ok: true };

export function reject(kind: FailureKind, message: string): StageVerdict {
  return { ok: false, kind, message };
}

/** The candidate's messages; a stage after the kind stage may rely on them. */
export function messagesOf(c: Candidate): Message[] {
  if (!c.mapped) throw new Error(`stage order: the kind stage must run before this stage (slot ${c.slot.id})`);
  return c.mapped.messages;
}
