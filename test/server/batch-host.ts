/**
 * What the batch endpoints (openai-batch.ts, anthropic-batch.ts) get from the server: its knobs, stats and
 * origin, and `answerLine`, the very code that answers a live request of a dialect (validation, the
 * answer built from the schema, the fault knobs, usage), so a batch line is answered as a live call would be.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dialect, Reply } from './dialect.js';
import type { Knobs } from './knobs.js';
import type { StatsRecorder } from './stats.js';

export interface BatchHost {
  knobs(): Knobs;
  stats: StatsRecorder;
  /** e.g. http://127.0.0.1:41234 (Anthropic's results_url must be the server's own origin). */
  origin(): string;
  /** Answers one request body of `dialect` as the live endpoint would; usage is billed under `usageKey`. */
  answerLine(dialect: Dialect, body: unknown, usageKey: string): Reply;
  /** One more draw from the server's seeded fault stream, in [0, 1). */
  draw(): number;
  /** A fresh ordinal for a created batch (both APIs share the count: knob `batchExpire`). */
  nextBatchOrdinal(): number;
}

export function readBuffer(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

export function sendJson(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) }).end(JSON.stringify(reply.body));
}

export function sendBytes(res: ServerResponse, bytes: Buffer | string, contentType: string): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(200, { 'content-type': contentType }).end(bytes);
}

/**
 * How many of a batch's `total` lines are answered by `now`: they finish evenly over `processingMs`; an
 * expiring batch stops at `expireShare` of them.
 */
export function linesDue(total: number, createdAt: number, now: number, processingMs: number, expiring: boolean, expireShare: number): number {
  const cap = expiring ? Math.floor(total * Math.min(Math.max(expireShare, 0), 1)) : total;
  if (processingMs <= 0) return cap;
  const share = Math.min(1, Math.max(0, (now - createdAt) / processingMs));
  return Math.min(cap, Math.floor(total * share));
}

/** The line's part of a list query: `?limit=20&after=x` as a record. */
export function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://x').searchParams;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function pageOf<T extends { id: string }>(items: T[], limit: number, after: string | null): { data: T[]; has_more: boolean } {
  let start = 0;
  if (after) {
    const index = items.findIndex((item) => item.id === after);
    start = index === -1 ? items.length : index + 1;
  }
  const data = items.slice(start, start + limit);
  return { data, has_more: start + limit < items.length };
}
