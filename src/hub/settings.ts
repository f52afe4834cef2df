/**
 * Where and as whom `synthloom push` talks to the Hugging Face Hub: the token from HF_TOKEN and the
 * endpoint from HF_ENDPOINT (default https://huggingface.co), as the Hub's own tooling reads them. The
 * token is never echoed: messages say "HF_TOKEN", not its value, and `redact` removes it from any text
 * that reaches the user.
 */
import { UsageError } from '../core/errors.js';

export const DEFAULT_HUB = 'https://huggingface.co';
export const TOKEN_PAGE = 'https://huggingface.co/settings/tokens';

export interface HubSettings {
  token: string;
  /** No trailing slash, no credentials. */
  endpoint: string;
}

export function hubSettings(env: NodeJS.ProcessEnv): HubSettings {
  const token = env.HF_TOKEN?.trim() ?? '';
  if (token === '') throw new UsageError(`HF_TOKEN is not set: create a token with write access at ${TOKEN_PAGE} and export HF_TOKEN=...`);
  if (!/^hf_[A-Za-z0-9_-]+$/.test(token)) throw new UsageError('HF_TOKEN: not a Hugging Face token (it starts with hf_ and has no spaces)');
  return { token, endpoint: hubEndpoint(env.HF_ENDPOINT) };
}

export function hubEndpoint(value: string | undefined): string {
  const raw = value?.trim() || DEFAULT_HUB;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('HF_ENDPOINT: not a URL (for example https://huggingface.co)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('HF_ENDPOINT: must start with https:// or http://');
  if (url.username || url.password) throw new UsageError('HF_ENDPOINT: must not carry credentials (put the token in HF_TOKEN)');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** OWNER/NAME as the Hub accepts it. */
export function checkRepoId(repo: string): string {
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*)\/([A-Za-z0-9][A-Za-z0-9_.-]*)$/.exec(repo);
  if (!m || repo.includes('--') || repo.includes('..') || (m[2] as string).length > 96 || /[.-]$/.test(repo)) {
    throw new UsageError(`--repo: "${repo.slice(0, 120)}" is not OWNER/NAME (letters, digits, - _ . ; for example alice/support-chats)`);
  }
  return repo;
}

export function checkRevision(revision: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_./-]*$/.test(revision) || revision.includes('..') || revision.endsWith('/') || revision.length > 200) {
    throw new UsageError(`--revision: "${revision.slice(0, 120)}" is not a branch name`);
  }
  return revision;
}

/** The text with every occurrence of the secret replaced (a Hub error may echo what it was sent). */
export function redact(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('hf_***') : text;
}
