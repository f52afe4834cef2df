/** `synthloom plan`, `synthloom sessions` and `synthloom presets`: read-only commands that spend nothing. */
import type { Config } from '../core/config.js';
import { buildPlan, planSummaryLines } from '../core/plan.js';
import { formatUsd } from '../core/prices.js';
import { listPresets } from '../core/presets.js';
import { listSessions } from '../core/session.js';
import { ago } from '../ui/format.js';
import type { Io } from './reporters.js';

/** A word as the shell reads it back: quoted only when it has to be. */
export function shellWord(text: string): string {
  return /^[\w./:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `args`: the config path or preset name and the overrides as the user typed them, to repeat for `run`. */
export function planCommand(config: Config, json: boolean, io: Io, args: readonly string[] = ['CONFIG']): number {
  const plan = buildPlan(config);
  if (json) io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  else io.stdout.write(`${planSummaryLines(plan).join('\n')}\n\nNo request was made. Start it with: synthloom run ${args.map(shellWord).join(' ')} --yes\n`);
  return 0;
}

export function sessionsCommand(root: string, json: boolean, io: Io): number {
  const sessions = listSessions(root);
  if (json) {
    io.stdout.write(`${JSON.stringify(sessions, null, 2)}\n`);
    return 0;
  }
  if (sessions.length === 0) {
    io.stdout.write(`no sessions under ${root}\n`);
    return 0;
  }
  const rows = sessions.map((s) => [s.name, s.status, `${s.done}/${s.target}`, String(s.failedSlots), formatUsd(s.costUsd), ago(s.updatedAt, Date.now()), s.dir]);
  const head = ['NAME', 'STATUS', 'DONE', 'FAILED', 'SPENT', 'CHANGED', 'DIR'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) io.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  return 0;
}

export function presetsCommand(io: Io): number {
  const presets = listPresets();
  const width = Math.max(...presets.map((p) => p.name.length));
  for (const p of presets) io.stdout.write(`${p.name.padEnd(width)}  ${p.task} · ${p.config.domain} · ${p.config.size} examples\n`);
  io.stdout.write('\nUse one with: synthloom plan NAME · synthloom run NAME · synthloom new --preset NAME\n');
  return 0;
}
