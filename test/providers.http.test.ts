import { describe, expect, it } from 'vitest';
import {
  anthropicRateLimit,
  openAIRateLimit,
  parseAnswer,
  parseDuration,
  redact,
  retryAfterFromHeaders,
  retryAfterFromMessage,
} from '../src/providers/http.js';

describe('rate-limit and retry hints', () => {
  it('reads Go durations as OpenAI writes them', () => {
    expect(parseDuration('6m0s')).toBe(360_000);
    expect(parseDuration('12ms')).toBe(12);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('0.5')).toBe(500);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });

  it('prefers retry-after-ms, then retry-after seconds or date', () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '9' }))).toBe(9000);
    const now = Date.parse('2026-11-01T00:00:00Z');
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'Sun, 01 Nov 2026 00:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterFromHeaders(new Headers({}))).toBeUndefined();
  });

  it('finds the wait in the message text', () => {
    expect(retryAfterFromMessage('Please try again in 18.642s. Visit ...')).toBe(18_642);
    expect(retryAfterFromMessage('Please try again in 120ms.')).toBe(120);
    expect(retryAfterFromMessage('try again in 1m30s')).toBe(90_000);
    expect(retryAfterFromMessage('Rate limit reached.')).toBeUndefined();
  });

  it('normalises OpenAI and Anthropic rate-limit headers', () => {
    const openai = openAIRateLimit(
      new Headers({
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '499',
        'x-ratelimit-reset-requests': '120ms',
        'x-ratelimit-limit-tokens': '200000',
        'x-ratelimit-remaining-tokens': '150000',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
    );
    expect(openai).toEqual({
      limitRequests: 500, remainingRequests: 499, resetRequestsMs: 120,
      limitTokens: 200000, remainingTokens: 150000, resetTokensMs: 360_000,
    });
    const now = Date.parse('2026-11-01T00:00:00Z');
    const anthropic = anthropicRateLimit(
      new Headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': '2026-11-01T00:00:05Z',
        'anthropic-ratelimit-input-tokens-limit': '30000',
        'anthropic-ratelimit-input-tokens-remaining': '100',
        'anthropic-ratelimit-input-tokens-reset': '2026-11-01T00:01:00Z',
      }),
      now,
    );
    expect(anthropic).toEqual({
      limitRequests: 50, remainingRequests: 0, resetRequestsMs: 5000,
      limitTokens: 30000, remainingTokens: 100, resetTokensMs: 60_000,
    });
    expect(openAIRateLimit(new Headers({}))).toBeUndefined();
  });
});

describe('keeping keys out of messages', () => {
  it('removes the key, key-shaped strings and bearer tokens', () => {
    const text = 'Incorrect API key provided: sk-canary-XYZ123 (sk-proj-abc***xyz). Authorization: Bearer tok_live_998877';
    const clean = redact(text, 'sk-canary-XYZ123');
    expect(clean).not.toContain('XYZ123');
    expect(clean).not.toContain('abc***xyz');
    expect(clean).not.toContain('tok_live_998877');
    expect(redact('my-own-key-without-prefix leaked', 'my-own-key-without-prefix')).toBe('[redacted] leaked');
  });
});

describe('parseAnswer', () => {
  it('parses JSON, forgives a code fence, and gives undefined for prose', () => {
    expect(parseAnswer('{"a":1}')).toEqual({ a: 1 });
    expect(parseAnswer('```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(parseAnswer('Sure! {"a":1')).toBeUndefined();
    expect(parseAnswer('')).toBeUndefined();
  });
});
