/**
 * `synthloom push SESSION --repo OWNER/NAME [--private] [--revision BRANCH] [--message TEXT]`: uploads the
 * export to a Hugging Face dataset repo in one commit (src/hub/push.ts). Progress goes to stderr: a line per
 * phase, and for a large file a line per quarter of its hashing and upload (one updating line on a terminal).
 */
import { existsSync, statSync } from 'node:fs';
import { parseCommand } from './args.js';
import { UsageError } from '../core/errors.js';
import { type PushProgress, type PushResult, pushDataset } from '../hub/push.js';
import { hubSettings } from '../hub/settings.js';
import type { CommandIO } from './export.js';

export const PUSH_USAGE = 'usage: synthloom push SESSION_DIR --repo OWNER/NAME [--private] [--revision BRANCH] [--message TEXT]';

/** Files from this size get per-file progress lines. */
const LARGE = 1 << 20;

function parse(argv: string[]) {
  return parseCommand('push', PUSH_USAGE, argv, {
    repo: { type: 'string' },
    private: { type: 'boolean' },
    revision: { type: 'string' },
    message: { type: 'string' },
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

const PHASES: Record<Extract<PushProgress, { kind: 'phase' }>['phase'], string> = {
  hashing: 'reading the export',
  repo: 'creating the repo if needed',
  comparing: 'comparing with the files on the Hub',
  uploading: 'uploading',
  committing: 'committing',
};

/** Progress lines on stderr; on a terminal the file progress updates one line in place. */
export function progressReporter(stderr: NodeJS.WritableStream & { isTTY?: boolean }): (p: PushProgress) => void {
  const shown = new Map<string, number>();
  let open = false;
  const line = (text: string, inPlace = false): void => {
    if (stderr.isTTY && inPlace) {
      stderr.write(`\r\u001b[2K${text}`);
      open = true;
      return;
    }
    stderr.write(`${open ? '\n' : ''}${text}\n`);
    open = false;
  };
  return (p) => {
    if (p.kind === 'phase') {
      line(`push: ${PHASES[p.phase]}…`);
      return;
    }
    if (p.size < LARGE) return;
    const key = `${p.state} ${p.path}`;
    const quarter = Math.floor(p.progress * 4);
    if (stderr.isTTY) {
      line(`  ${p.state} ${p.path} ${Math.round(p.progress * 100)}% of ${megabytes(p.size)}`, p.progress < 1);
      return;
    }
    if ((shown.get(key) ?? -1) >= quarter) return;
    shown.set(key, quarter);
    line(`  ${p.state} ${p.path} ${quarter * 25}% of ${megabytes(p.size)}`);
  };
}

export function describePush(result: PushResult): string[] {
  const where = `${result.url}${result.revision === 'main' ? '' : ` (branch ${result.revision})`}`;
  const out: string[] = [];
  if (!result.commit) {
    out.push(`${result.repo} is up to date: no commit (${result.unchanged.length} file(s) unchanged) · ${where}`);
  } else {
    out.push(`pushed to ${where}${result.created ? ' (new repo)' : ''}: commit ${result.commit.oid.slice(0, 12)}`);
    if (result.uploaded.length > 0) out.push(`  uploaded: ${result.uploaded.join(', ')}`);
    if (result.deleted.length > 0) out.push(`  deleted: ${result.deleted.join(', ')} (no longer in the export)`);
    if (result.unchanged.length > 0) out.push(`  unchanged: ${result.unchanged.join(', ')}`);
  }
  if (result.visibilityUnchanged) out.push('note: the repo existed already, so --private did not change its visibility (change it in the repo settings)');
  out.push(`load it: load_dataset("${result.repo}")`);
  return out;
}

export async function pushCommand(argv: string[], io: CommandIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout.write(`${PUSH_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`push: give exactly one SESSION_DIR (${PUSH_USAGE})`);
  if (!values.repo) throw new UsageError(`push: --repo OWNER/NAME is required (${PUSH_USAGE})`);
  const dir = positionals[0] as string;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`session directory not found: ${dir}`);
  const hub = hubSettings(env);
  const result = await pushDataset(
    { sessionDir: dir, repo: values.repo, private: Boolean(values.private), revision: values.revision, message: values.message },
    hub,
    progressReporter(io.stderr),
  );
  io.stdout.write(`${describePush(result).join('\n')}\n`);
  return 0;
}
