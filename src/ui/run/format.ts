/** Short human forms of the numbers on the run screens. Pure, so the screens stay declarative. */
import type { LimiterState } from '../../core/events.js';
import { formatUsd } from '../../core/prices.js';

export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

export function usd(n: number | null): string {
  return n === null ? '?' : formatUsd(n);
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function progressBar(done: number, target: number, width: number): string {
  const w = Math.max(5, width);
  const ratio = target > 0 ? Math.min(1, done / target) : 0;
  const full = Math.round(ratio * w);
  return `${'█'.repeat(full)}${'░'.repeat(w - full)}`;
}

const WAIT_REASONS = { rpm: 'rate limit', tpm: 'token limit', retry_after: 'rate limit', backoff: 'backoff' } as const;

/** "ok" or "waiting for rate limit, 4 s", counting down from when the state was reported. */
export function limiterText(limiter: LimiterState, reportedAt: number, now: number): string {
  if (limiter.state === 'ok') return 'ok';
  const left = Math.max(0, limiter.waitMs - Math.max(0, now - reportedAt));
  return `waiting for ${WAIT_REASONS[limiter.reason]}, ${Math.ceil(left / 1000)} s`;
}
