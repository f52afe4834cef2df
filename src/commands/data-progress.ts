/**
 * Progress of convert, split and import on stderr: nothing for a file read in under a second, then at most
 * one line a second (a rewritten line on a terminal), and a newline at the end.
 */
import type { Progress } from '../core/convert/rows.js';

const FIRST_AFTER_MS = 1_000;
const EVERY_MS = 1_000;

export function progressPrinter(stderr: NodeJS.WritableStream & { isTTY?: boolean }, verb: string): { onProgress: (p: Progress) => void; done: () => void } {
  const started = Date.now();
  let last = 0;
  let printed = false;
  return {
    onProgress(p) {
      const now = Date.now();
      if (now - started < FIRST_AFTER_MS || now - last < EVERY_MS) return;
      last = now;
      const pct = p.totalBytes > 0 ? ` ${((100 * p.bytes) / p.totalBytes).toFixed(0)}%` : '';
      const line = `${verb}: ${p.phase}${pct} · ${p.rows.toLocaleString('en-US')} rows · ${((now - started) / 1000).toFixed(0)} s`;
      stderr.write(stderr.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
      printed = true;
    },
    done() {
      if (printed && stderr.isTTY) stderr.write('\n');
    },
  };
}
