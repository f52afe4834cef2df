/**
 * `synthloom push`: puts an export (SESSION/dataset) on the Hugging Face Hub as a dataset repo, through
 * `@huggingface/hub`. The CLI command and the done screen both call pushDataset.
 *
 * 1. createRepo (POST /api/repos/create); a 409 means the repo exists and is used as it is (a 403 too, when
 *    the repo can then be read: a token may write to an organisation's repo without creating repos). This comes
 *    before hashing, so a refused token is reported at once.
 * 2. The remote files of the branch (GET /api/datasets/OWNER/NAME/tree/REV); a branch that does not exist
 *    yet is created from the default one (POST .../branch/REV).
 * 3. Each local file is compared with the remote one by hash: the sha256 of an LFS file, the git blob id of
 *    a regular one. The client always commits what it is given (the Hub would record an empty commit), so
 *    only the files that differ are sent, and nothing at all when none does: a re-push of an unchanged
 *    export makes no commit. A split file the export no longer writes is deleted on the Hub in the same commit.
 * 4. One commit (commitIter: preupload, LFS batch + upload for large files, the NDJSON commit), whose
 *    progress events reach `onProgress`.
 */
import { commitIter, createBranch, createRepo, type CommitOperation, listFiles, type ListFileEntry } from '@huggingface/hub';
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { REPO_PLACEHOLDER } from '../core/export/trainers/index.js';
import { hubError, isStatus } from './errors.js';
import { checkExport, type LocalFile, localFiles, PUSHED_FILES } from './local-files.js';
import { checkRepoId, checkRevision, type HubSettings } from './settings.js';

export interface PushOptions {
  sessionDir: string;
  repo: string;
  private?: boolean;
  /** Branch to commit to; default main. */
  revision?: string;
  /** Commit title. */
  message?: string;
}

export type PushProgress =
  | { kind: 'phase'; phase: 'hashing' | 'repo' | 'comparing' | 'uploading' | 'committing' }
  | { kind: 'file'; path: string; size: number; state: 'hashing' | 'uploading'; progress: number };

export interface PushResult {
  repo: string;
  url: string;
  created: boolean;
  /** The repo existed and --private was asked: its visibility was left as it was. */
  visibilityUnchanged: boolean;
  revision: string;
  commit: { oid: string; url: string } | null;
  uploaded: string[];
  deleted: string[];
  unchanged: string[];
}

function sameAsRemote(local: LocalFile, remote: ListFileEntry | undefined): boolean {
  if (!remote || remote.type !== 'file') return false;
  return remote.lfs ? remote.lfs.oid === local.sha256 : remote.oid === local.gitOid;
}

async function content(file: LocalFile): Promise<Blob> {
  return file.content ? new Blob([file.content]) : openAsBlob(file.path);
}

export async function pushDataset(opts: PushOptions, hub: HubSettings, onProgress: (p: PushProgress) => void = () => {}): Promise<PushResult> {
  const repo = checkRepoId(opts.repo);
  const revision = checkRevision(opts.revision ?? 'main');
  const ids = { repo: { type: 'dataset' as const, name: repo }, accessToken: hub.token, hubUrl: hub.endpoint };
  const step = <T>(what: string, run: () => Promise<T>): Promise<T> => run().catch((err: unknown) => Promise.reject(hubError(err, what, repo, hub)));

  const datasetDir = join(opts.sessionDir, 'dataset');
  checkExport(datasetDir, opts.sessionDir);

  // The repo first: a refused token is known before a large export is hashed.
  onProgress({ kind: 'phase', phase: 'repo' });
  let created = true;
  // A token that may write to an organisation's repo but not create repos there gets a 403 from create:
  // the repo may exist all the same, so the 403 is reported only if reading the repo fails too.
  let refusedCreate: unknown = null;
  await step('creating the repo', async () => {
    try {
      await createRepo({ ...ids, ...(opts.private ? { visibility: 'private' as const } : {}) });
    } catch (err) {
      if (isStatus(err, 403)) refusedCreate = err;
      else if (!isStatus(err, 409)) throw err;
      created = false;
    }
  });

  onProgress({ kind: 'phase', phase: 'hashing' });
  const files = await localFiles(datasetDir, opts.sessionDir, REPO_PLACEHOLDER, repo);

  onProgress({ kind: 'phase', phase: 'comparing' });
  const remote = await step('reading the repo', () => remoteFiles(ids, revision)).catch((err: unknown) => {
    throw refusedCreate ? hubError(refusedCreate, 'creating the repo', repo, hub) : err;
  });
  const byPath = new Map(remote.map((f) => [f.path, f]));
  const changed = files.filter((f) => !sameAsRemote(f, byPath.get(f.name)));
  const local = new Set(files.map((f) => f.name));
  const deleted = (PUSHED_FILES as readonly string[]).filter((name) => byPath.has(name) && !local.has(name));
  const result: PushResult = {
    repo,
    url: `${hub.endpoint}/datasets/${repo}`,
    created,
    visibilityUnchanged: !created && Boolean(opts.private),
    revision,
    commit: null,
    uploaded: changed.map((f) => f.name),
    deleted,
    unchanged: files.filter((f) => !changed.includes(f)).map((f) => f.name),
  };
  if (changed.length === 0 && deleted.length === 0) return result;

  const operations: CommitOperation[] = [
    ...(await Promise.all(changed.map(async (f) => ({ operation: 'addOrUpdate' as const, path: f.name, content: await content(f) })))),
    ...deleted.map((path) => ({ operation: 'delete' as const, path })),
  ];
  const sizes = new Map(files.map((f) => [f.name, f.size]));
  const title = opts.message?.trim() || `Upload ${changed.length} file(s) with synthloom`;
  const description = `Files: ${[...result.uploaded, ...deleted.map((d) => `${d} (deleted)`)].join(', ')}`;
  result.commit = await step('committing', async () => {
    let lastPhase = '';
    const iterator = commitIter({ ...ids, operations, title, description, branch: revision });
    for (;;) {
      const next = await iterator.next();
      if (next.done) return next.value ? { oid: next.value.commit.oid, url: next.value.commit.url } : null;
      const event = next.value;
      if (event.event === 'phase') {
        const phase = event.phase === 'committing' ? 'committing' : 'uploading';
        if (phase !== lastPhase) onProgress({ kind: 'phase', phase });
        lastPhase = phase;
      } else if (event.state === 'error') throw new Error(`uploading ${event.path} failed`);
      else onProgress({ kind: 'file', path: event.path, size: sizes.get(event.path) ?? 0, state: event.state, progress: event.progress });
    }
  });
  return result;
}

/** The top-level files of the branch; a missing branch is created from the default branch first. */
async function remoteFiles(ids: { repo: { type: 'dataset'; name: string }; accessToken: string; hubUrl: string }, revision: string): Promise<ListFileEntry[]> {
  const list = async (): Promise<ListFileEntry[]> => {
    const out: ListFileEntry[] = [];
    for await (const entry of listFiles({ ...ids, revision })) out.push(entry);
    return out;
  };
  try {
    return await list();
  } catch (err) {
    if (!isStatus(err, 404) || revision === 'main') throw err;
    await createBranch({ ...ids, branch: revision });
    return list();
  }
}
