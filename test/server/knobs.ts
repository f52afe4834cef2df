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
