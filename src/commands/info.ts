/** `synthloom plan`, `synthloom sessions` and `synthloom presets`: read-only commands that spend nothing. */
import type { Config } from '../core/config.js';
import { buildPlan, planSummaryLines } from '../core/plan.js';
import { formatUsd } from '../core/prices.js';
import { listPresets } from '../core/presets.js';
import { describeDatasetState, type DatasetState } from '../core/export/manifest.js';
import { jsonForTerminal, sanitizeForTerminal, sanitizeLine } from '../core/sanitize.js';
import { listSessionsReport } from '../core/session-list.js';
import { ago } from '../ui/format.js';
import { groundingPlanView } from './grounding.js';
import type { Io } from './reporters.js';

/** A word as the shell reads it back: quoted only when it has to be. */
export function shellWord(text: string): string {
  return /^[\w./:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * `args`: the config path or preset name and the overrides as the user typed them, to repeat for `run`;
 * `baseDir`: the config file's folder, where `sources:` and `examples:` paths start.
 */
export async function planCommand(config: Config, json: boolean, io: Io, args: readonly string[] = ['CONFIG'], baseDir = process.cwd()): Promise<number> {
  const plan = buildPlan(config);
  const grounding = config.sources.length > 0 ? await groundingPlanView(config, baseDir) : null;
  if (json) io.stdout.write(`${jsonForTerminal(grounding ? { ...plan, grounding: grounding.json } : plan, 2)}\n`);
  else {
    const lines = [...planSummaryLines(plan), ...(grounding?.lines ?? [])];
    io.stdout.write(`${lines.map(sanitizeForTerminal).join('\n')}\n\nNo request was made. Start it with: synthloom run ${args.map(shellWord).map(sanitizeLine).join(' ')} --yes\n`);
  }
  return 0;
}

const DATASET_LABEL: Record<DatasetState, string> = { current: 'ok', stale: 'stale', missing: 'missing', none: '-' };

/** Every field comes from disk (a shared session directory may be hostile): each is sanitized before printing. */
export function sessionsCommand(root: string, json: boolean, io: Io): number {
  const { sessions, broken } = listSessionsReport(root);
  if (json) {
    io.stdout.write(`${jsonForTerminal([...sessions, ...broken.map((b) => ({ dir: b.dir, problem: b.problem }))], 2)}\n`);
    return 0;
  }
  if (sessions.length === 0 && broken.length === 0) {
    io.stdout.write(`no sessions under ${sanitizeLine(root)}\n`);
    return 0;
  }
  const rows = sessions.map((s) =>
    [s.name, s.status, `${s.done}/${s.target}`, String(s.unfilled), String(s.failedSlots), formatUsd(s.costUsd), ago(s.updatedAt, Date.now()), s.dir, DATASET_LABEL[s.dataset]].map((c) =>
      sanitizeLine(String(c)),
    ),
  );
  const head = ['NAME', 'STATUS', 'DONE', 'UNFILLED', 'GAVE UP', 'SPENT', 'CHANGED', 'DIR', 'DATASET'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) io.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  for (const s of sessions) {
    const note = describeDatasetState(s.dataset, s.dir);
    if (note) io.stdout.write(`${sanitizeLine(s.name)}: ${sanitizeLine(note)}\n`);
  }
  for (const b of broken) io.stdout.write(`${sanitizeLine(b.dir)}: cannot be opened: ${sanitizeLine(b.problem)}\n`);
  return 0;
}

export function presetsCommand(io: Io): number {
  const presets = listPresets();
  const width = Math.max(...presets.map((p) => p.name.length));
  for (const p of presets) io.stdout.write(`${p.name.padEnd(width)}  ${p.task} · ${p.config.domain} · ${p.config.size} examples\n`);
  io.stdout.write('\nUse one with: synthloom plan NAME · synthloom run NAME · synthloom new --preset NAME\n');
  return 0;
}
