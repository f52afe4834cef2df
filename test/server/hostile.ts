/**
 * The test server's hostile answers: bad usage figures, a body that never ends, a gzip bomb. They model
 * servers (or proxies) that are broken or malicious, for the client's caps to be tested against.
 */
import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import type { Knobs } from './knobs.js';

/** Stands for a number JSON.stringify cannot write (1e999 parses back as Infinity). */
const INFINITY_MARK = '"__synthloom_infinity__"';

/** The success body's text with the `badUsage` knob applied (OpenAI and Anthropic usage field names). */
export function successText(body: unknown, knobs: Knobs): string {
  if (!knobs.badUsage) return JSON.stringify(body);
  const reply = body as { usage?: Record<string, unknown> };
  const value: Record<Exclude<Knobs['badUsage'], '' | 'missing'>, unknown> = {
    negative: -40_000,
    string: '12',
    nan: 'NaN',
    infinity: JSON.parse(INFINITY_MARK) as string,
    float: 12.5,
  };
  if (knobs.badUsage === 'missing') delete reply.usage;
  else if (reply.usage) {
    const bad = value[knobs.badUsage];
    for (const field of ['prompt_tokens', 'completion_tokens', 'input_tokens', 'output_tokens']) {
      if (field in reply.usage) reply.usage[field] = bad;
    }
  }
  return JSON.stringify(reply).split(INFINITY_MARK).join('1e999');
}

/** True when a hostile body knob took over the answer. */
export function sendHostileBody(res: ServerResponse, knobs: Knobs): boolean {
  if (knobs.invalidJsonBody) {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "chatcmpl-1", "choices": [oops');
    return true;
  }
  if (knobs.endlessBody) {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.from(`{"id":"endless","pad":"${'x'.repeat(64 * 1024)}`);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
    return true;
  }
  if (knobs.gzipBombMiB > 0) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    const gzip = createGzip({ level: 9 });
    gzip.pipe(res);
    const mib = Buffer.alloc(1 << 20, 0x20);
    gzip.write('{"id":"bomb",');
    let left = knobs.gzipBombMiB;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        left--;
        if (!gzip.write(mib)) return void gzip.once('drain', pump);
      }
      if (!res.destroyed) gzip.end('"end":true}');
      else gzip.destroy();
    };
    res.on('close', () => gzip.destroy());
    pump();
    return true;
  }
  return false;
}
