/** What the test server saw: counts, injected faults, arrival times, concurrency, and (opt-in) bodies. */
export interface RecordedRequest {
  endpoint: string;
  /** Request headers without authorization / x-api-key. */
  headers: Record<string, string>;
  body: unknown;
}

export interface ServerStats {
  requests: number;
  byEndpoint: Record<string, number>;
  /** Requests by the kind of answer they asked for (`examples`, `topic_list`, `other`; `none` without a schema), counted once parsed. */
  bySchema: Record<string, number>;
  byStatus: Record<string, number>;
  faults: Record<string, number>;
  /** Arrival of each API request, ms since the server started (or since the last reset). */
  timestamps: number[];
  maxConcurrent: number;
  inFlight: number;
  bodies: RecordedRequest[];
  /** Tokens in the answers the server delivered (counted once a response was fully written): what a real
   * provider would bill, for checking the client's own accounting against. */
  billed: { answers: number; input: number; output: number; cacheRead: number; cacheWrite: number };
  /** Tokens of every answer sent: input not from a cache, cache reads, cache writes, output. */
  usage: { input: number; cacheRead: number; cacheWrite: number; output: number };
  /** Tokens the server billed, by endpoint (`openai.chat.completions`, ...) or batch API (`openai.batch`, `anthropic.batch`). */
  usageBy: Record<string, TokenCount>;
}

export interface TokenCount {
  /** Answers billed. */
  answers: number;
  /** Input tokens as the API reports them (OpenAI prompt_tokens incl. cached; Anthropic input + cache read + cache write). */
  input: number;
  output: number;
}

export class StatsRecorder {
  private start = Date.now();
  private data: ServerStats = StatsRecorder.empty();
  private inFlight = 0;

  private static empty(): ServerStats {
    return { requests: 0, byEndpoint: {}, bySchema: {}, byStatus: {}, faults: {}, timestamps: [], maxConcurrent: 0, inFlight: 0, bodies: [], billed: { answers: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, usage: { input: 0, cacheRead: 0, cacheWrite: 0, output: 0 }, usageBy: {} };
  }

  /** A request arrived; returns the function to call once when it is over. */
  begin(endpoint: string): () => void {
    const d = this.data;
    d.requests++;
    d.byEndpoint[endpoint] = (d.byEndpoint[endpoint] ?? 0) + 1;
    d.timestamps.push(Date.now() - this.start);
    this.inFlight++;
    d.maxConcurrent = Math.max(d.maxConcurrent, this.inFlight);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
    };
  }

  bill(usage: { input: number; output: number; cacheRead: number; cacheWrite: number }): void {
    const b = this.data.billed;
    b.answers++;
    b.input += usage.input;
    b.output += usage.output;
    b.cacheRead += usage.cacheRead;
    b.cacheWrite += usage.cacheWrite;
  }

  schema(name: string): void {
    this.data.bySchema[name] = (this.data.bySchema[name] ?? 0) + 1;
  }

  status(code: number): void {
    this.data.byStatus[String(code)] = (this.data.byStatus[String(code)] ?? 0) + 1;
  }

  fault(kind: string): void {
    this.data.faults[kind] = (this.data.faults[kind] ?? 0) + 1;
  }

  usage(u: { input: number; cacheRead: number; cacheWrite: number; output: number }): void {
    const t = this.data.usage;
    t.input += u.input;
    t.cacheRead += u.cacheRead;
    t.cacheWrite += u.cacheWrite;
    t.output += u.output;
  }

  billedBy(key: string, input: number, output: number): void {
    const u = (this.data.usageBy[key] ??= { answers: 0, input: 0, output: 0 });
    u.answers++;
    u.input += input;
    u.output += output;
  }

  record(entry: RecordedRequest): void {
    this.data.bodies.push(entry);
  }

  snapshot(): ServerStats {
    return { ...structuredClone(this.data), inFlight: this.inFlight };
  }

  /** Zero the counts; requests in flight stay counted as in flight. */
  reset(): void {
    this.data = StatsRecorder.empty();
    this.start = Date.now();
  }
}
