/**
 * Writing imported tool definitions into a config file's `conversation.tools` with yaml's Document API, so
 * the rest of the file (comments, key order, formatting) stays as the user wrote it. Tools of the same name
 * are replaced, others kept, new ones appended.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument } from 'yaml';
import { ToolSchema } from './config.js';
import { UsageError } from './errors.js';
import { writeFileAtomic } from './files.js';
import type { ToolDefinition } from './types.js';

export interface ToolsMerge {
  text: string;
  added: string[];
  replaced: string[];
  kept: string[];
}

/** The tools a config can hold, and the names of the ones it cannot (invalid name or shape). */
export function acceptableTools(tools: readonly ToolDefinition[]): { ok: ToolDefinition[]; rejected: string[] } {
  const ok: ToolDefinition[] = [];
  const rejected: string[] = [];
  for (const tool of tools) {
    if (ToolSchema.safeParse(tool).success) ok.push(tool);
    else rejected.push(tool.function.name);
  }
  return { ok, rejected };
}

/** `text` (a config's YAML) with `tools` merged into conversation.tools. */
export function mergeToolsIntoYaml(text: string, tools: readonly ToolDefinition[], source = 'config'): ToolsMerge {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new UsageError(`${source}: not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new UsageError(`${source}: the config must be a YAML mapping`);
  const conversation = doc.get('conversation');
  if (conversation !== undefined && conversation !== null && !isMap(conversation)) throw new UsageError(`${source}: conversation must be a mapping`);
  const current = doc.getIn(['conversation', 'tools']);
  if (current !== undefined && current !== null && !isSeq(current)) throw new UsageError(`${source}: conversation.tools must be a list`);
  const existing = ((current as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? []) as ToolDefinition[];
  const incoming = new Map(tools.map((t) => [t.function.name, t]));
  const replaced: string[] = [];
  const kept: string[] = [];
  const merged: ToolDefinition[] = existing.map((t) => {
    const name = t?.function?.name;
    const next = name !== undefined ? incoming.get(name) : undefined;
    if (next) {
      replaced.push(name as string);
      incoming.delete(name as string);
      return next;
    }
    kept.push(String(name));
    return t;
  });
  const added = [...incoming.keys()];
  merged.push(...incoming.values());
  doc.setIn(['conversation', 'tools'], doc.createNode(merged));
  return { text: doc.toString({ lineWidth: 0 }), added, replaced, kept };
}

/** Merges `tools` into the config file at `path` (written atomically: an interrupted write loses nothing). */
export function importToolsIntoConfig(path: string, tools: readonly ToolDefinition[]): ToolsMerge {
  if (!existsSync(path)) throw new UsageError(`--config: ${path} not found`);
  const result = mergeToolsIntoYaml(readFileSync(path, 'utf8'), tools, path);
  writeFileAtomic(path, result.text);
  return result;
}
