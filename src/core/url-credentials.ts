/**
 * A key written into a URL (`http://user:KEY@host/v1`, `...?api_key=KEY`) would be saved in session.yaml
 * and plan.yaml and printed by `plan --json`. It is taken out of provider.base_url before anything is
 * stored or shown, with a one-line warning to use the environment variable instead. So that the run still
 * works, the credential becomes the process's key (OPENAI_API_KEY / ANTHROPIC_API_KEY) when that variable
 * is not set; the environment is never written to disk. Only the password (or a lone user name, or the
 * query key) is used, as a bearer key: HTTP basic auth to a proxy is not supported.
 */
import type { Config, ProviderName } from './config.js';

/** Query parameters that carry a credential (compared case-insensitively). */
const KEY_PARAMS = new Set(['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'auth', 'password', 'secret']);

export interface StrippedUrl {
  url: string;
  /** The credential found (password, else user name, else a query key). */
  key?: string;
}

export function stripUrlCredentials(text: string): StrippedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { url: text };
  }
  let key: string | undefined;
  if (url.password) key = decodeURIComponent(url.password);
  else if (url.username) key = decodeURIComponent(url.username);
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (!KEY_PARAMS.has(name.toLowerCase())) continue;
    key ??= url.searchParams.get(name) ?? undefined;
    url.searchParams.delete(name);
  }
  if (key === undefined && url.href === new URL(text).href) return { url: text };
  // URL adds a trailing slash to a bare origin: keep the form the user wrote.
  const out = url.href.endsWith('/') && !text.replace(/[?#].*$/, '').endsWith('/') ? url.href.slice(0, -1) : url.href;
  return { url: out, ...(key ? { key } : {}) };
}

export function keyVariable(provider: ProviderName): string {
  return provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
}

/**
 * The config without credentials in provider.base_url; `warning` says what was done. When `env` lacks the
 * provider's key variable and a credential was found, it is set there (the process only).
 */
export function withoutUrlCredentials(config: Config, env: NodeJS.ProcessEnv = process.env): { config: Config; warning?: string } {
  const base = config.provider.base_url;
  if (!base) return { config };
  const stripped = stripUrlCredentials(base);
  if (stripped.url === base) return { config };
  const variable = keyVariable(config.provider.name);
  let used = '';
  if (stripped.key && !env[variable]?.trim()) {
    env[variable] = stripped.key;
    used = ` (used as ${variable} for this run only)`;
  } else if (stripped.key) used = ` (ignored: ${variable} is set)`;
  const warning =
    `provider.base_url held a credential: it was removed from the URL before anything was saved or shown${used}; ` +
    `put the key in the ${variable} environment variable instead`;
  return { config: { ...config, provider: { ...config.provider, base_url: stripped.url } }, warning };
}
