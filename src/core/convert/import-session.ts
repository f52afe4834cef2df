/**
 * The session directory `synthloom import` makes, written only through the session store's own functions
 * (SessionStore.create, samples.append, savePlan, setStatus), so the layout stays the store's. It is built
 * beside --out (OUT.import-tmp-PID) and renamed into place when complete, so a failed import leaves nothing.
 *
 * The session is `done`: its config has no topic expansion (depth 0, no categories), so the plan has one
 * leaf, the root, with one slot per imported row, and each row is given that slot (`t0_rK`); a resume finds
 * every slot filled and makes no LLM call. Kept in this one small file so it can follow the session
 * module's redesign.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { validateConfig, type Config } from '../config.js';
import { UsageError } from '../errors.js';
import { buildPlan } from '../plan.js';
import { emptyStats, SessionStore } from '../session/index.js';
import { slotId } from '../slots.js';
import { initialTree } from '../tree.js';
import type { DatasetType, Sample, ToolDefinition } from '../types.js';

export interface ImportedSample extends Sample {
  /** Where the row came from: the log file and its 1-based line. */
  imported_from: { file: string; line: number };
}

export interface SessionSummary {
  type: DatasetType;
  tools: ToolDefinition[];
  systemPrompt: string | null;
  files: string[];
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function sessionName(out: string): string {
  const name = basename(resolve(out)).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 80);
  return name === '' ? 'imported' : name;
}

function configFor(name: string, size: number, summary?: SessionSummary): Config {
  const tools = (summary?.tools ?? [])
    .filter((t) => TOOL_NAME.test(t.function.name))
    .map((t) => ({ type: 'function', function: { name: t.function.name, ...(t.function.description ? { description: t.function.description } : {}), ...(t.function.parameters ? { parameters: t.function.parameters } : {}) } }));
  const type = summary?.type === 'agent' && tools.length === 0 ? 'basic' : (summary?.type ?? 'basic');
  const build = (type: DatasetType, tools: unknown[]): Config =>
    validateConfig(
      {
        name,
        task: 'conversations imported from logs',
        domain: 'imported logs',
        size: Math.max(1, size),
        ...(summary?.systemPrompt ? { system_prompt: summary.systemPrompt } : {}),
        conversation: { type, tools },
        topics: { categories: [], depth: 0 },
      },
      'import config',
    );
  try {
    return build(type, tools);
  } catch {
    // A tool list the config schema refuses: the session has none of its own (each row keeps its tools).
    return build(type === 'agent' ? 'basic' : type, []);
  }
}

export class ImportedSession {
  private readonly store: SessionStore;
  private count = 0;
  private readonly rootId: string;

  private constructor(
    readonly out: string,
    private readonly staging: string,
    private readonly name: string,
  ) {
    const config = configFor(name, 1);
    this.rootId = initialTree(config).id;
    this.store = SessionStore.create(staging, config, buildPlan(config, initialTree(config)));
  }

  static begin(out: string): ImportedSession {
    if (existsSync(out) && readdirSync(out).length > 0) throw new UsageError(`--out: ${out} already exists and is not empty (choose a new session directory)`);
    const staging = `${out.replace(/[\\/]+$/, '')}.import-tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    return new ImportedSession(out, staging, sessionName(out));
  }

  get size(): number {
    return this.count;
  }

  /** Appends the next row; it gets its id and its slot in the plan. */
  append(sample: ImportedSample): void {
    sample.slot = slotId(this.rootId, this.count);
    sample.id = `imported-${String(this.count + 1).padStart(7, '0')}`;
    this.store.samples.append(sample);
    this.count++;
  }

  /** Writes the final config, plan and stats, marks the session done and moves it to --out. */
  finish(summary: SessionSummary): void {
    const config = configFor(this.name, this.count, summary);
    const plan = buildPlan(config, initialTree(config));
    this.store.samples.sync();
    this.store.savePlan(plan);
    this.store.session.config = config;
    this.store.session.stats = { ...emptyStats(this.count), done: this.count };
    (this.store.session as unknown as Record<string, unknown>).imported_from = summary.files;
    this.store.setStatus('done');
    this.store.close();
    if (existsSync(this.out)) rmSync(this.out, { recursive: true, force: true }); // empty: checked in begin()
    renameSync(this.staging, this.out);
  }

  abort(): void {
    this.store.close();
    rmSync(this.staging, { recursive: true, force: true });
  }
}
