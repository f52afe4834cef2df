/** A problem found in a dataset file. line 0 means the file as a whole. */
export type Severity = 'error' | 'warning';

export interface Problem {
  line: number;
  severity: Severity;
  message: string;
}

/** Reports problems of one row; rules call it without knowing the line number. */
export type Report = (severity: Severity, message: string) => void;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function describeType(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** File text quoted in a message: one line, no control or escape characters, short. */
export function quote(v: unknown): string {
  // eslint-disable-next-line no-control-regex
  const text = String(v).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}
