/**
 * Every YAML file synthloom reads (a config, plan.yaml, session.yaml) is input that may be hostile: a
 * device or FIFO instead of a file, a file of gigabytes, an alias bomb ("billion laughs"). Here a file is
 * checked before it is read (a regular file, under a size limit) and parsed with an alias limit; every
 * problem is one line naming the file (a UsageError: exit 2). And no YAML we write holds NaN or Infinity
 * (`assertFiniteNumbers`), so a bad figure can never be saved and come back as `.nan`.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parse, stringify, YAMLParseError, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions, type CreateNodeOptions, type ToStringOptions } from 'yaml';
import { UsageError } from './errors.js';

/** Aliases allowed in one document (yaml's resource-exhaustion guard). None of our own files writes any. */
export const MAX_ALIASES = 100;
export const MAX_CONFIG_BYTES = 1024 * 1024;
export const MAX_SESSION_YAML_BYTES = 8 * 1024 * 1024;
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions;

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * The text of `path`, which must be a regular file of at most `maxBytes` (checked on the open descriptor,
 * so /dev/zero, a FIFO or a directory is refused before a byte is read, and a file that grows meanwhile is
 * still read only up to the limit).
 */
export function readTextFile(path: string, maxBytes: number, what = 'file'): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${what} not found: ${path}` : `cannot read ${what} ${path}: ${code ?? 'error'}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`${path}: is a directory, not a ${what}`);
    if (!stat.isFile()) throw new UsageError(`${path}: not a regular file (a device, pipe or socket); give a ${what} on disk`);
    if (stat.size > maxBytes) throw new UsageError(`${path}: ${mib(stat.size)} is over the ${mib(maxBytes)} limit for a ${what}`);
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw new UsageError(`${path}: over the ${mib(maxBytes)} limit for a ${what} (it grew while being read)`);
    return buffer.toString('utf8', 0, length);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** Parses YAML with the alias limit; any problem (syntax, an alias bomb, a duplicate key) is one line naming `source`. */
export function parseYamlText(text: string, source: string, options: YamlOptions = {}): unknown {
  try {
    return parse(text, { prettyErrors: true, ...options, maxAliasCount: MAX_ALIASES });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      const at = pos ? ` (line ${pos.line}, column ${pos.col})` : '';
      const first = err.message.split('\n')[0] ?? 'parse error';
      throw new UsageError(`${source}: not valid YAML${at}: ${first.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new UsageError(`${source}: too many YAML aliases (over ${MAX_ALIASES}; an alias bomb?)`);
    }
    throw new UsageError(`${source}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
}

/** A YAML file that must hold a mapping (an empty file or a bare scalar is an error naming the file). */
export function readYamlMapping(path: string, maxBytes: number, what: string, options: YamlOptions = {}): Record<string, unknown> {
  const value = parseYamlText(readTextFile(path, maxBytes, what), path, options);
  if (value === null || value === undefined) throw new UsageError(`${path}: the ${what} is empty`);
  if (typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${path}: the ${what} must be a YAML mapping of keys to values`);
  return value as Record<string, unknown>;
}

/**
 * Throws when `value` holds a number that is not finite (NaN, Infinity) anywhere, naming its path
 * (`stats.cost_usd`). For every YAML/JSON document we write: call it before stringify.
 */
export function assertFiniteNumbers(value: unknown, where = ''): void {
  const stack: Array<[unknown, string]> = [[value, where]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`refusing to save ${path || 'a value'} = ${v}: a figure is not a finite number`);
    } else if (v !== null && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      for (const [k, child] of Object.entries(v)) stack.push([child, path ? `${path}.${k}` : k]);
    }
  }
}

/** `stringify` that refuses NaN and Infinity (see assertFiniteNumbers): what session.yaml must be written with. */
export function stringifyYamlFinite(value: unknown, options: DocumentOptions & SchemaOptions & ParseOptions & CreateNodeOptions & ToStringOptions = {}): string {
  assertFiniteNumbers(value);
  return stringify(value, options);
}
