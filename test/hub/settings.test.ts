/** The Hub settings and error lines: the token never reaches a message, and each failure says what to fix. */
import { HubApiError } from '@huggingface/hub';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { hubError } from '../../src/hub/errors.js';
import { checkRepoId, hubEndpoint, hubSettings } from '../../src/hub/settings.js';

const hub = { token: 'hf_secretTOKEN123', endpoint: 'https://hub.example' };

describe('Hub settings', () => {
  it('reads HF_TOKEN and HF_ENDPOINT, defaulting to huggingface.co, and refuses credentials in the URL without echoing them', () => {
    expect(hubSettings({ HF_TOKEN: 'hf_abc' })).toEqual({ token: 'hf_abc', endpoint: 'https://huggingface.co' });
    expect(hubEndpoint('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(() => hubEndpoint('https://me:pw123@hub.example')).toThrow(/must not carry credentials/);
    expect(() => hubEndpoint('https://me:pw123@hub.example')).not.toThrow(/pw123/);
    expect(() => hubSettings({ HF_TOKEN: 'sk-not-hf' })).toThrow(/HF_TOKEN: not a Hugging Face token/);
    expect(() => hubSettings({ HF_TOKEN: 'sk-not-hf' })).not.toThrow(/sk-not-hf/);
  });

  it('accepts OWNER/NAME only', () => {
    expect(checkRepoId('alice/support-chats.v2')).toBe('alice/support-chats.v2');
    for (const bad of ['alice', 'alice/', '/x', 'a/b/c', 'a b/c', 'a/b--c', 'a/b.', '-a/b']) expect(() => checkRepoId(bad), bad).toThrow(UsageError);
  });
});

describe('Hub errors', () => {
  it('a refused token is exit 2 and names HF_TOKEN, never its value', () => {
    const err = hubError(new HubApiError('https://hub.example/api/repos/create', 401, undefined, `Invalid token ${hub.token}. URL: x`), 'creating the repo', 'a/b', hub);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/refused HF_TOKEN \(401 while creating the repo\)/);
    expect(err.message).not.toContain(hub.token);
  });

  it('a Hub failure is exit 1 with its reason, the URL trailer dropped and the token redacted', () => {
    const err = hubError(new HubApiError('u', 500, 'req-1', `Internal error for ${hub.token}. URL: https://hub.example/x. Request ID: req-1`), 'committing', 'a/b', hub);
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe('the Hub failed (500 while committing): Internal error for hf_***');
  });

  it('a missing permission is exit 2 and says which repo', () => {
    const err = hubError(new HubApiError('u', 403, undefined, 'You cannot create under this namespace. URL: u'), 'creating the repo', 'org/x', hub);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('HF_TOKEN may not write to org/x (403 while creating the repo): You cannot create under this namespace');
  });
});
