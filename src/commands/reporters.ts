/**
 * The two headless views of a run: plain progress lines on stderr with a summary on stdout, and one JSON
 * event a line on stdout (SPEC 6.6). Both consume the engine's events and nothing else.
 */
import type { EngineEvent, EventBus, ProgressCounts } from '../core/events.js';
import { formatDuration } from '../core/plan.js';
import { formatUsd } from '../core/prices.js';
import { jsonForTerminal, sanitizeLine, sanitizeForTerminal as stripControl } from '../core/sanitize.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const PLAIN_EVERY_MS = 2_000;

function failuresText(f: ProgressCounts['failures']): string {
  const parts = Object.entries(f).filter(([, n]) => (n ?? 0) > 0).map(([k, n]) => `${k} ${n}`);
  return parts.length > 0 ? ` · failures: ${parts.join(', ')}` : '';
}

export function progressLine(p: ProgressCounts): string {
  const pct = p.target > 0 ? ((p.done / p.target) * 100).toFixed(1) : '0.0';
  const eta = p.etaS === null ? '' : ` · ETA ${formatDuration(p.etaS)}`;
  const limiter = p.limiter.state === 'waiting' ? ` · waiting for ${p.limiter.reason.replace('_', '-')} ${Math.ceil(p.limiter.waitMs / 1000)}s` : '';
  return (
    `[${String(p.done).padStart(String(p.target).length)}/${p.target}] ${pct}% · ${p.ratePerMin.toFixed(1)}/min${eta} · ` +
    `${formatUsd(p.costUsd)}${p.projectedUsd !== null ? ` (projected ${formatUsd(p.projectedUsd)}, cap ${formatUsd(p.budgetUsd)})` : ''} · ` +
    `in flight ${p.inFlight}${limiter}${failuresText(p.failures)}${p.paused ? ' · PAUSED' : ''}`
  );
}

/** `openai/gpt-4.1-mini`; the demo provider is `demo (offline templates)`, never a real model's name. */
export function runLabel(e: { provider: string; model: string; demo?: boolean }): string {
  if (e.demo || e.provider === 'demo') return 'demo (offline templates, no model)';
  return `${sanitizeLine(e.provider)}/${sanitizeLine(e.model)}`;
}

export function attachPlainReporter(events: EventBus, io: Io): () => void {
  let last = 0;
  let latest: ProgressCounts | null = null;
  let printed = '';
  const print = (line: string) => {
    if (line === printed) return;
    printed = line;
    io.stderr.write(`${line}\n`);
  };
  return events.on((e: EngineEvent) => {
    switch (e.type) {
      case 'run_start':
        io.stderr.write(`synthloom: ${e.done > 0 ? 'resuming' : 'starting'} "${sanitizeLine(e.session)}" · ${runLabel(e)} · ${e.target} samples · ${sanitizeLine(e.dir)}\n`);
        if (e.demo) io.stderr.write('synthloom: demo provider: offline template examples, not model output\n');
        break;
      case 'topic_done':
        io.stderr.write(`topics: ${e.done}/${e.total} expanded · ${stripControl([...e.path].join(' > ') || '(root)')}: ${e.children.length} subtopics\n`);
        break;
      case 'plan':
        io.stderr.write(`plan: ${e.leaves} topics · ${e.slots} slots · fingerprint ${e.fingerprint}\n`);
        break;
      case 'progress': {
        latest = e;
        const now = Date.now();
        if (now - last >= PLAIN_EVERY_MS) {
          last = now;
          print(progressLine(e));
        }
        break;
      }
      case 'sample_rejected':
        if (!e.willRetry) io.stderr.write(`slot ${e.slot} gave up after ${e.attempt} attempts: ${e.kind}: ${stripControl(e.message)}\n`);
        break;
      case 'paused':
        io.stderr.write(`paused: ${e.message}\n`);
        break;
      case 'stopping':
        io.stderr.write(`stopping: ${e.reason}; waiting for ${e.inFlight} requests in flight (Ctrl+C again to quit at once)\n`);
        break;
      case 'run_end': {
        if (latest) print(progressLine(latest));
        const lines = [
          `${e.status}: ${e.done}/${e.target} samples in ${formatDuration(e.elapsedS)} · ${e.tokens.input.toLocaleString('en-US')} in / ${e.tokens.output.toLocaleString('en-US')} out tokens · ${formatUsd(e.costUsd)}`,
        ];
        if (e.reason) lines.push(`reason: ${stripControl(e.reason)}`);
        lines.push(`session: ${e.dir}`);
        if (e.done > 0) lines.push(`dataset: ${e.dir}/dataset/ (train.jsonl, validation.jsonl, test.jsonl, dataset_info.txt, README.md)`);
        if (e.status !== 'done') {
          const flag = e.status === 'budget' ? ' --budget USD' : e.failedSlots > 0 ? ' --retry-failed' : '';
          lines.push(`resume: synthloom resume ${e.dir} --yes${flag}`);
        }
        io.stdout.write(`${lines.join('\n')}\n`);
        break;
      }
      default:
        break;
    }
  });
}

export function attachJsonReporter(events: EventBus, io: Io): () => void {
  return events.on((e) => {
    io.stdout.write(`${jsonForTerminal(e)}\n`);
  });
}
