/**
 * A failed Hub call as one line a user can act on, with the token redacted: a refused token or a missing
 * permission is exit 2 (fix the setting and run again); the Hub failing or out of reach is exit 1.
 */
import { HubApiError } from '@huggingface/hub';
import { errorMessage, UsageError } from '../core/errors.js';
import { oneLine } from '../core/export/text.js';
import { redact, type HubSettings, TOKEN_PAGE } from './settings.js';

export function isStatus(err: unknown, status: number): boolean {
  return err instanceof HubApiError && err.statusCode === status;
}

/** The Hub's own explanation, without the "URL: ..." trailer the client appends. */
function hubReason(err: HubApiError): string {
  return oneLine(err.message.replace(/\.?\s*URL: .*$/s, ''));
}

export function hubError(err: unknown, doing: string, repo: string, hub: HubSettings): UsageError {
  if (err instanceof UsageError) return err;
  const clean = (text: string): string => redact(text, hub.token);
  if (err instanceof HubApiError) {
    const reason = clean(hubReason(err));
    if (err.statusCode === 401) {
      return new UsageError(`the Hub at ${hub.endpoint} refused HF_TOKEN (401 while ${doing}): check the token, or create one with write access at ${TOKEN_PAGE}`);
    }
    if (err.statusCode === 403) return new UsageError(`HF_TOKEN may not write to ${repo} (403 while ${doing}): ${reason || 'use a token with write access to its owner'}`);
    if (err.statusCode === 404) return new UsageError(`${repo} was not found on ${hub.endpoint} (404 while ${doing}): ${reason || 'check OWNER/NAME and --revision'}`);
    if (err.statusCode === 400 || err.statusCode === 409 || err.statusCode === 422) return new UsageError(`the Hub rejected the push (${err.statusCode} while ${doing}): ${reason}`);
    return new UsageError(`the Hub failed (${err.statusCode} while ${doing}): ${reason || 'try again later'}`, { exitCode: 1 });
  }
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    return new UsageError(`could not reach the Hub at ${hub.endpoint} while ${doing}: ${clean(cause?.code ?? cause?.message ?? 'network error')}`, { exitCode: 1 });
  }
  return new UsageError(`push failed while ${doing}: ${clean(errorMessage(err))}`, { exitCode: 1 });
}
