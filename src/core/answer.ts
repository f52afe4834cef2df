/**
 * Turns a provider's answer into a value or a failure of a named kind (SPEC 6.2): truncated, refused,
 * not JSON, or not matching the schema. The failure message is what the retry feeds back to the model.
 */
import type { z } from 'zod';
import type { GenerateResult } from './provider.js';
import type { FailureKind } from './types.js';

export type Interpreted<T> = { ok: true; value: T } | { ok: false; kind: FailureKind; message: string; raw?: string };

const RAW_LIMIT = 4000;

export function excerpt(text: string | undefined, limit = RAW_LIMIT): string | undefined {
  if (text === undefined) return undefined;
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** JSON from a model answer, tolerating a Markdown code fence around it (json-mode servers add one). */
export function parseJsonAnswer(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : trimmed) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'answer'}: ${i.message}`)
    .join('; ');
}

export function interpretAnswer<T>(result: GenerateResult, schema: z.ZodType<T>, maxTokens: number): Interpreted<T> {
  const raw = excerpt(result.text);
  if (result.finish === 'length') {
    return { ok: false, kind: 'truncated', message: `answer cut off at the output limit of ${maxTokens} tokens`, raw };
  }
  if (result.finish === 'refusal') {
    return { ok: false, kind: 'refusal', message: `the model declined: ${excerpt(result.refusal ?? result.text, 300) ?? ''}`.trim(), raw };
  }
  let value = result.json;
  if (value === undefined) {
    const parsed = parseJsonAnswer(result.text);
    if (!parsed.ok) return { ok: false, kind: 'parse', message: `answer is not valid JSON (${parsed.error})`, raw };
    value = parsed.value;
  }
  const checked = schema.safeParse(value);
  if (!checked.success) return { ok: false, kind: 'schema', message: `answer does not match the schema: ${describeZodError(checked.error)}`, raw };
  return { ok: true, value: checked.data };
}
