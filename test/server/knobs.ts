/** The test server's fault and behaviour knobs. All off by default; deterministic for a given `seed`. */
export interface Knobs {
  seed: number;
  /** Delay before answering, in ms, and its spread as a fraction (0.5 = +-50%). */
  latencyMs: number;
  latencyJitter: number;
  /** Random 500/502/503. */
  serverErrorRate: number;
  /** Random 529 overloaded_error (Anthropic) or 503 (OpenAI). */
  overloadedRate: number;
  /** A real sliding window: more than `requests` in `windowMs` gets 429 with Retry-After. */
  rateLimit: { requests: number; windowMs: number } | null;
  /** Random 429s, with `Retry-After: retryAfterS`. */
  rateLimit429Rate: number;
  retryAfterS: number;
  /** Never answer; hold the request until the client gives up. */
  timeoutRate: number;
  /** Destroy the socket after reading the request. */
  dropRate: number;
  /** finish_reason length / stop_reason max_tokens, JSON cut in the middle. */
  truncatedRate: number;
  /** Answer text that is not JSON. */
  malformedRate: number;
  /** Valid JSON that breaks the schema. */
  schemaInvalidRate: number;
  /** OpenAI message.refusal; Anthropic stop_reason refusal. */
  refusalRate: number;
  /** `invalid`: 401 on every request. */
  auth: 'valid' | 'invalid';
  /** OpenAI 429 insufficient_quota; Anthropic 402 billing_error. */
  quota: boolean;
  /** The OpenAI endpoint answers 400 to json_schema (like a server without it) but accepts json_object. */
  rejectJsonSchema: boolean;
  /** Text inserted into every assistant turn and topic name (e.g. escape sequences). */
  inject: string;
  /** Keep request bodies in stats. */
  record: boolean;
  /** Share of LLM-judge answers (schema `judge`) that score every criterion 1, failing the threshold. */
  judgeFailRate: number;
  /** Share of examples written with another user-turn count than the prompt plans (1 for a multi-turn
   * slot, 2 for a single-turn one), as models do when nothing checks them. */
  wrongTurnsRate: number;
  /** K > 0: examples repeat K canned conversations until the prompt lists their openings (test/server/repeat.ts). */
  repeatUnlessAvoided: number;
  /**
   * Input tokens of every answer reported as read from the prompt cache (at most the request's input):
   * OpenAI `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`. Requests whose
   * cache_control prefix the server caches itself are not changed by it.
   */
  cachedInputTokens: number;
  /** Batch APIs: time from a batch's creation until its last line is answered (lines finish evenly over it). */
  batchProcessingMs: number;
  /** Batch APIs: share of lines answered with an error (a 500 inside the batch), on top of the fault knobs. */
  batchLineErrorRate: number;
  /** Batch APIs: ordinals of batches that expire (1 = the first batch created, either API, since start or the last stats reset). */
  batchExpire: number[];
  /** Batch APIs: ordinals (counted like batchExpire, over create calls) of batches refused as invalid input:
   * OpenAI fails the batch in validation; Anthropic answers the create with a 400. */
  batchInvalid: number[];
  /** Share of an expiring batch's lines answered before its window runs out. */
  batchExpireShare: number;
  /** Batch APIs: lower the lines-per-batch limit (OpenAI 50,000; Anthropic 100,000), to exercise chunking. */
  batchMaxLines: number | null;
  /** Batch APIs: lower the bytes-per-batch limit (OpenAI 200 MB file; Anthropic 256 MB request). */
  batchMaxBytes: number | null;
  /**
   * Hostile usage figures on every success: `negative` (-40000), `string` ("12"), `nan` ("NaN"), `infinity`
   * (the JSON number 1e999, which parses as Infinity), `float` (12.5), `missing` (no usage object). '' is off.
   * (A long Retry-After is `rateLimit429Rate` with `retryAfterS: 3600`.)
   */
  badUsage: '' | 'negative' | 'string' | 'nan' | 'infinity' | 'float' | 'missing';
  /** A 200 whose body never ends (JSON-ish bytes written until the client gives up). */
  endlessBody: boolean;
  /** A 200 whose gzip-compressed body inflates to this many MiB of spaces (0: off); about 1 KiB sent per MiB. */
  gzipBombMiB: number;
  /** A 200 with content-type application/json whose body is not JSON. */
  invalidJsonBody: boolean;
}

export const DEFAULT_KNOBS: Knobs = {
  seed: 1,
  latencyMs: 0,
  latencyJitter: 0,
  serverErrorRate: 0,
  overloadedRate: 0,
  rateLimit: null,
  rateLimit429Rate: 0,
  retryAfterS: 1,
  timeoutRate: 0,
  dropRate: 0,
  truncatedRate: 0,
  malformedRate: 0,
  schemaInvalidRate: 0,
  refusalRate: 0,
  auth: 'valid',
  quota: false,
  rejectJsonSchema: false,
  inject: '',
  record: false,
  judgeFailRate: 0,
  wrongTurnsRate: 0,
  repeatUnlessAvoided: 0,
  cachedInputTokens: 0,
  batchProcessingMs: 0,
  batchLineErrorRate: 0,
  batchExpire: [],
  batchInvalid: [],
  batchExpireShare: 0.5,
  batchMaxLines: null,
  batchMaxBytes: null,
  badUsage: '',
  endlessBody: false,
  gzipBombMiB: 0,
  invalidJsonBody: false,
};

export type Fault =
  | 'rate_limit'
  | 'overloaded'
  | 'server_error'
  | 'timeout'
  | 'drop'
  | 'truncated'
  | 'malformed'
  | 'schema_invalid'
  | 'refusal';

/** One draw picks at most one fault; each knob's rate is its share of requests. */
export function drawFault(knobs: Knobs, r: number): Fault | null {
  const table: Array<[Fault, number]> = [
    ['rate_limit', knobs.rateLimit429Rate],
    ['overloaded', knobs.overloadedRate],
    ['server_error', knobs.serverErrorRate],
    ['timeout', knobs.timeoutRate],
    ['drop', knobs.dropRate],
    ['truncated', knobs.truncatedRate],
    ['malformed', knobs.malformedRate],
    ['schema_invalid', knobs.schemaInvalidRate],
    ['refusal', knobs.refusalRate],
  ];
  let edge = 0;
  for (const [fault, rate] of table) {
    edge += Math.max(0, rate);
    if (r < edge) return fault;
  }
  return null;
}
