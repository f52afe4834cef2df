/**
 * `--where FIELD OP VALUE` filters of `synthloom import`: FIELD is a dotted path into the log row
 * (`rating`, `metadata.success`), OP one of = != > >= < <=. A number on both sides compares as numbers
 * (`rating>=4`), true/false compare as booleans (`success=true`), anything else as text (`= !=` only). A row
 * without the field fails every filter but `!=`.
 */
import { UsageError } from '../errors.js';

export type FilterOp = '=' | '!=' | '>' | '>=' | '<' | '<=';

export interface RowFilter {
  /** As the user wrote it, for the report. */
  text: string;
  field: string;
  op: FilterOp;
  value: string;
}

const WHERE = /^\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*(>=|<=|!=|==|=|>|<)\s*(.*?)\s*$/;

export function parseWhere(text: string): RowFilter {
  const m = WHERE.exec(text);
  if (!m) throw new UsageError(`--where: "${text}" is not FIELD OP VALUE (OP is one of = != > >= < <=), e.g. rating>=4 or success=true`);
  const op = (m[2] === '==' ? '=' : m[2]) as FilterOp;
  let value = m[3] as string;
  if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
  if (['>', '>=', '<', '<='].includes(op) && !isNumber(value)) throw new UsageError(`--where: "${text}": ${op} needs a number on the right`);
  return { text, field: m[1] as string, op, value };
}

function isNumber(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}

function at(row: unknown, path: string): unknown {
  let v: unknown = row;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function passes(filter: RowFilter, row: unknown): boolean {
  const v = at(row, filter.field);
  if (v === undefined || v === null) return filter.op === '!=';
  let cmp: number;
  if ((typeof v === 'number' || (typeof v === 'string' && isNumber(v))) && isNumber(filter.value)) cmp = Number(v) - Number(filter.value);
  else if (typeof v === 'boolean' && (filter.value === 'true' || filter.value === 'false')) cmp = v === (filter.value === 'true') ? 0 : 1;
  else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    if (filter.op !== '=' && filter.op !== '!=') return false;
    cmp = String(v) === filter.value ? 0 : 1;
  } else return false;
  switch (filter.op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
  }
}
