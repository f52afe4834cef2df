/**
 * The PII stage: `off` passes everything; `redact` replaces each hit with its placeholder in user and
 * assistant content, tool results and tool-call arguments (the sample comes back changed); `reject`
 * fails the sample. The system prompt comes from the config and is left alone. The message names the
 * kinds and where, never the personal data itself (it goes to failures.jsonl and the screen).
 */
import type { Message } from '../types.js';
import type { CheckResult, SampleLike } from './check.js';
import { findPii, type PiiHit, redactPii } from './pii.js';

export type PiiMode = 'off' | 'redact' | 'reject';

function describe(hits: readonly PiiHit[]): string {
  const counts = new Map<string, number>();
  for (const h of hits) counts.set(h.kind, (counts.get(h.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

export function checkPii<S extends SampleLike>(sample: S, mode: PiiMode): CheckResult<S> {
  if (mode === 'off') return { ok: true };
  if (mode === 'reject') {
    for (const [i, m] of sample.messages.entries()) {
      if (m.role === 'system') continue;
      const hits = [...findPii(m.content), ...(m.tool_calls ?? []).flatMap((c) => findPii(c.function.arguments))];
      if (hits.length > 0) return { ok: false, kind: 'filtered', message: `pii: message ${i + 1} (${m.role}) holds ${describe(hits)}` };
    }
    return { ok: true };
  }
  let changed = false;
  const messages = sample.messages.map((m): Message => {
    if (m.role === 'system') return m;
    const content = redactPii(m.content);
    let callsChanged = false;
    const calls = m.tool_calls?.map((c) => {
      const args = redactPii(c.function.arguments);
      if (args.hits.length === 0) return c;
      callsChanged = true;
      return { ...c, function: { ...c.function, arguments: args.text } };
    });
    if (content.hits.length === 0 && !callsChanged) return m;
    changed = true;
    const next: Message = { ...m, content: content.text };
    if (calls) next.tool_calls = calls;
    return next;
  });
  const reasoning = sample.reasoning === undefined ? null : redactPii(sample.reasoning);
  if (!changed && (reasoning === null || reasoning.hits.length === 0)) return { ok: true };
  const redacted: S = { ...sample, messages };
  if (reasoning !== null) redacted.reasoning = reasoning.text;
  return { ok: true, sample: redacted };
}
