/**
 * Runs the test server as its own process, for pty end-to-end tests and benchmarks:
 *   node --import tsx test/server/main.ts [--knobs '{"latencyMs": 50}']
 * Prints one line `{"url": "http://127.0.0.1:PORT"}` and serves until SIGTERM/SIGINT, or until its stdin
 * closes when stdin is a pipe (so it dies with the parent that spawned it).
 */
import { fstatSync } from 'node:fs';
import { checkKnobs, startTestServer } from './index.js';

function knobsFromArgs(argv: string[]) {
  const at = argv.indexOf('--knobs');
  if (at < 0) return {};
  const text = argv[at + 1];
  if (!text) throw new Error('--knobs needs a JSON object');
  return checkKnobs(JSON.parse(text));
}

function stdinIsPipe(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

const server = await startTestServer(knobsFromArgs(process.argv.slice(2)));
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void server.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
if (stdinIsPipe()) {
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.resume();
}
