/**
 * The Hugging Face `datasets` JSON loader (Arrow) needs every field to keep one JSON type on every row,
 * nested fields included: `messages[].content` may not be a string on one line and a list on another.
 * null and missing fields are fine (Arrow fills them with null), and all numbers count as one type.
 */
export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface TypeConflict {
  path: string;
  line: number;
  type: JsonType;
  firstLine: number;
  firstType: JsonType;
}

export function jsonType(value: unknown): JsonType | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : null;
}

export class TypeConsistency {
  private readonly seen = new Map<string, { type: JsonType; line: number }>();
  /** Only the first conflict of each path is reported. */
  private readonly reported = new Set<string>();

  /** Records one row; returns the new conflicts it causes. */
  add(row: unknown, line: number): TypeConflict[] {
    const conflicts: TypeConflict[] = [];
    this.walk(row, '', line, conflicts);
    return conflicts;
  }

  private walk(value: unknown, path: string, line: number, conflicts: TypeConflict[]): void {
    const type = jsonType(value);
    if (type === null) return;
    if (path !== '') {
      const first = this.seen.get(path);
      if (!first) this.seen.set(path, { type, line });
      else if (first.type !== type) {
        if (!this.reported.has(path)) {
          this.reported.add(path);
          conflicts.push({ path, line, type, firstLine: first.line, firstType: first.type });
        }
        return;
      }
    }
    if (type === 'array') for (const item of value as unknown[]) this.walk(item, `${path}[]`, line, conflicts);
    else if (type === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        this.walk(child, path === '' ? key : `${path}.${key}`, line, conflicts);
      }
    }
  }
}

export function describeConflict(c: TypeConflict): string {
  return `field ${c.path} is ${article(c.type)} here but ${article(c.firstType)} on line ${c.firstLine} (the Hugging Face datasets loader needs one type per field)`;
}

function article(type: JsonType): string {
  return type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}
