/** What a failed batch line means to the scheduler (see the batch executor). */
import { ProviderError } from '../provider.js';
import type { BatchLineFailure } from './types.js';

/**
 * An expired or canceled line was never looked at by the provider: not the request's fault. It comes back
 * like an aborted job (queued again at once, no retry used up), so a batch that expired with thousands of
 * lines does not count as thousands of failures in a row (which would end the run). Errored lines are
 * failures of their kind, retried by the scheduler.
 */
export function unanswered(f: BatchLineFailure): boolean {
  return f.kind === 'expired' || f.kind === 'canceled';
}

export function lineError(f: BatchLineFailure): ProviderError {
  return new ProviderError(f.failureKind, `batch line ${f.kind}: ${f.message}`, { status: f.status });
}
