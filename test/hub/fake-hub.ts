/**
 * A loopback stand-in for the Hugging Face Hub (node:http on 127.0.0.1, a random port) that speaks exactly
 * the endpoints @huggingface/hub calls for a dataset push, and records what it was asked:
 *   POST /api/repos/create                                  {name, organization, type, visibility} -> 200 | 409
 *   GET  /api/datasets/OWNER/NAME/tree/REV                  top-level files: {type, path, size, oid, lfs?}
 *   POST /api/datasets/OWNER/NAME/branch/BRANCH             a branch from main -> 200 | 409
 *   POST /api/datasets/OWNER/NAME/preupload/REV             {files: [{path, uploadMode: lfs|regular}]}
 *   POST /datasets/OWNER/NAME.git/info/lfs/objects/batch    basic transfer: an upload href per missing object
 *   PUT  /lfs/OID                                           the LFS object (its sha256 is checked)
 *   POST /api/datasets/OWNER/NAME/commit/REV                NDJSON: header, file (base64), lfsFile, deletedFile
 * A request without a known token gets 401; a `cannotCreate` token gets 403 from create only. Files from `lfsThreshold` bytes are LFS (the Hub uses 10 MB).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubFile {
  content: Buffer;
  lfs: boolean;
}

export interface HubCommit {
  oid: string;
  branch: string;
  title: string;
  description?: string;
  /** Paths added or updated (regular or LFS), and deleted. */
  files: string[];
  deleted: string[];
}

export interface HubRepo {
  id: string;
  private: boolean;
  branches: Map<string, Map<string, HubFile>>;
  commits: HubCommit[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface FakeHub {
  url: string;
  repos: Map<string, HubRepo>;
  requests: RecordedRequest[];
  /** Commits made by clients (not the repo's initial commit). */
  commits(repo: string): HubCommit[];
  close(): Promise<void>;
}

export interface FakeHubOptions {
  tokens: string[];
  /** Tokens that may write to existing repos but not create one (create answers 403). */
  cannotCreate?: string[];
  lfsThreshold?: number;
}

const gitOid = (b: Buffer): string => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function pointer(file: HubFile): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(file.content)}\nsize ${file.content.length}\n`);
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

export async function startFakeHub(opts: FakeHubOptions): Promise<FakeHub> {
  const repos = new Map<string, HubRepo>();
  const lfsStore = new Map<string, Buffer>();
  const requests: RecordedRequest[] = [];
  const threshold = opts.lfsThreshold ?? 10 * 1024 * 1024;
  let base = '';

  const newCommit = (repo: HubRepo, c: Omit<HubCommit, 'oid'>): HubCommit => {
    const commit = { oid: randomBytes(20).toString('hex'), ...c };
    repo.commits.push(commit);
    return commit;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    // An LFS upload href is presigned (like the Hub's S3 URLs): the client sends it no token.
    const presigned = req.method === 'PUT' && path.startsWith('/lfs/');
    if (!presigned && (!token || !opts.tokens.includes(token))) return send(res, 401, { error: 'Invalid credentials in Authorization header' });

    if (req.method === 'POST' && path === '/api/repos/create') {
      if (opts.cannotCreate?.includes(token as string)) return send(res, 403, { error: 'You do not have the rights to create a dataset under this namespace' });
      const payload = JSON.parse((await body(req)).toString()) as { name: string; organization: string; type: string; visibility?: string };
      if (payload.type !== 'dataset') return send(res, 400, { error: `fake hub: only dataset repos (got ${payload.type})` });
      const id = `${payload.organization}/${payload.name}`;
      if (repos.has(id)) return send(res, 409, { error: 'You already created this dataset repo', url: `${base}/datasets/${id}` });
      const repo: HubRepo = { id, private: payload.visibility === 'private', branches: new Map(), commits: [] };
      repo.branches.set('main', new Map([['.gitattributes', { content: Buffer.from('*.parquet filter=lfs diff=lfs merge=lfs -text\n'), lfs: false }]]));
      newCommit(repo, { branch: 'main', title: 'initial commit', files: ['.gitattributes'], deleted: [] });
      repos.set(id, repo);
      return send(res, 200, { url: `${base}/datasets/${id}`, id: randomBytes(12).toString('hex') });
    }

    const lfsPut = /^\/lfs\/([0-9a-f]{64})$/.exec(path);
    if (req.method === 'PUT' && lfsPut) {
      const data = await body(req);
      if (sha256(data) !== lfsPut[1]) return send(res, 400, { error: 'sha256 mismatch' });
      lfsStore.set(lfsPut[1] as string, data);
      res.writeHead(200, { etag: '"x"' });
      return void res.end();
    }

    const batch = /^\/datasets\/([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(path);
    if (req.method === 'POST' && batch) {
      if (!repos.has(batch[1] as string)) return send(res, 404, { error: 'Repository not found' });
      const payload = JSON.parse((await body(req)).toString()) as { objects: { oid: string; size: number }[] };
      return send(res, 200, {
        transfer: 'basic',
        objects: payload.objects.map((o) => (lfsStore.has(o.oid) ? o : { ...o, actions: { upload: { href: `${base}/lfs/${o.oid}` } } })),
      });
    }

    const api = /^\/api\/datasets\/([^/]+\/[^/]+)\/(tree|branch|preupload|commit)\/(.+)$/.exec(path);
    if (!api) return send(res, 404, { error: `fake hub: no route ${req.method} ${path}` });
    const [, id, verb, rawRev] = api as unknown as [string, string, string, string];
    const rev = decodeURIComponent(rawRev);
    const repo = repos.get(id);
    if (!repo) return send(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
    const files = repo.branches.get(rev);

    if (verb === 'branch' && req.method === 'POST') {
      if (files) return send(res, 409, { error: 'Branch already exists' });
      repo.branches.set(rev, new Map(repo.branches.get('main')));
      return send(res, 200, {});
    }
    if (!files) return send(res, 404, { error: 'Revision Not Found' }, { 'x-error-code': 'RevisionNotFound' });

    if (verb === 'tree' && req.method === 'GET') {
      return send(
        res,
        200,
        [...files].map(([p, f]) => ({
          type: 'file',
          path: p,
          size: f.content.length,
          oid: gitOid(f.lfs ? pointer(f) : f.content),
          ...(f.lfs ? { lfs: { oid: sha256(f.content), size: f.content.length, pointerSize: pointer(f).length } } : {}),
        })),
      );
    }
    if (verb === 'preupload' && req.method === 'POST') {
      const payload = JSON.parse((await body(req)).toString()) as { files: { path: string; size: number }[] };
      return send(res, 200, { files: payload.files.map((f) => ({ path: f.path, uploadMode: f.size >= threshold ? 'lfs' : 'regular', shouldIgnore: false })) });
    }
    if (verb === 'commit' && req.method === 'POST') {
      const lines = (await body(req)).toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; value: Record<string, unknown> });
      const header = lines.find((l) => l.key === 'header')?.value as { summary: string; description?: string } | undefined;
      if (!header) return send(res, 400, { error: 'missing header' });
      const next = new Map(files);
      const commit: Omit<HubCommit, 'oid'> = { branch: rev, title: header.summary, description: header.description, files: [], deleted: [] };
      for (const { key, value } of lines) {
        if (key === 'file') {
          next.set(value.path as string, { content: Buffer.from(value.content as string, 'base64'), lfs: false });
          commit.files.push(value.path as string);
        } else if (key === 'lfsFile') {
          const data = lfsStore.get(value.oid as string);
          if (!data) return send(res, 422, { error: `LFS object ${String(value.oid)} was never uploaded` });
          next.set(value.path as string, { content: data, lfs: true });
          commit.files.push(value.path as string);
        } else if (key === 'deletedFile') {
          if (!next.delete(value.path as string)) return send(res, 404, { error: `cannot delete ${String(value.path)}: not in the repo` });
          commit.deleted.push(value.path as string);
        }
      }
      repo.branches.set(rev, next);
      const made = newCommit(repo, commit);
      return send(res, 200, { commitOid: made.oid, commitUrl: `${base}/datasets/${id}/commit/${made.oid}`, hookOutput: '' });
    }
    return send(res, 405, { error: `fake hub: ${req.method} not allowed on ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    repos,
    requests,
    commits: (id) => (repos.get(id)?.commits ?? []).filter((c) => c.title !== 'initial commit'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
