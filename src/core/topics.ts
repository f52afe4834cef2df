/**
 * Topic expansion (SPEC 4): the tree grows level by level, one structured call per node, each prompt
 * carrying the node's full path and its siblings. Duplicate and near-identical siblings are dropped. With a
 * session, every expanded node is appended to topics.jsonl first, so an interrupted expansion resumes per node.
 */
import type { Provider } from '../providers/types.js';
import { ProviderError } from '../providers/types.js';
import { interpretAnswer } from './answer.js';
import { backoffDelay, sleep } from './backoff.js';
import type { Config } from './config.js';
import type { EventBus } from './events.js';
import { costOf, priceFor } from './prices.js';
import { TOPIC_SCHEMA_NAME, TopicListSchema, topicPrompt, toWireSchema } from './prompts.js';
import { allocate } from './random.js';
import { endsTheRun, fatalExitCode, fatalReason, type Failure, type Topic, type Usage } from './types.js';
import { initialTree, shouldExpand } from './tree.js';
import type { TopicRecord } from './session.js';

export { editTree } from './tree.js';

/** Where expansion results are kept and found again (the session store, or nothing for a preview). */
export interface TopicJournal {
  done: Map<string, TopicRecord>;
  record(record: TopicRecord): void;
  fail(failure: Failure): void;
}

/** A failure during topic expansion that ends the run (see endsTheRun). */
export class FatalRunError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'FatalRunError';
  }
}

export interface ExpandOptions {
  events?: EventBus;
  signal?: AbortSignal;
  journal?: TopicJournal;
  /** Called around each request, so a caller can pace and count them. */
  beforeRequest?: () => Promise<void>;
  /** A graceful stop: no new node is started once this says true; nodes in flight finish. */
  shouldStop?: () => boolean;
}

export interface ExpandResult {
  tree: Topic;
  usage: Usage;
  costUsd: number | null;
  calls: number;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function words(name: string): Set<string> {
  return new Set(normalise(name).split(' ').filter((w) => w.length > 2));
}

/** Near-identical: same normalised text, or word sets that overlap 80% (Jaccard). */
function nearIdentical(a: string, b: string): boolean {
  if (normalise(a) === normalise(b)) return true;
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 || wb.size === 0) return false;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared) >= 0.8;
}

/** Keeps the first of each group of duplicate or near-identical names, and drops names equal to the parent's. */
export function distinctTopics(names: string[], parent: string, limit: number): string[] {
  const kept: string[] = [];
  for (const raw of names) {
    const name = raw.replace(/\s+/g, ' ').trim().slice(0, 120);
    if (!name || nearIdentical(name, parent) || kept.some((k) => nearIdentical(k, name))) continue;
    kept.push(name);
    if (kept.length >= limit) break;
  }
  return kept;
}

async function askForChildren(
  config: Config,
  provider: Provider,
  node: Topic,
  siblings: string[],
  opts: ExpandOptions,
  usage: Usage,
): Promise<{ names: string[]; usage: Usage } | null> {
  const { system, user } = topicPrompt(config, node.path, siblings, config.topics.degree);
  const maxTokens = Math.max(512, config.topics.degree * 40 + 200);
  let feedback: { role: 'user' | 'assistant'; content: string }[] = [];
  for (let attempt = 1; attempt <= config.provider.max_retries + 1; attempt++) {
    await opts.beforeRequest?.();
    try {
      const result = await provider.generate({
        system,
        messages: [{ role: 'user', content: user }, ...feedback],
        schema: toWireSchema(TopicListSchema),
        schemaName: TOPIC_SCHEMA_NAME,
        maxOutputTokens: maxTokens,
        signal: opts.signal,
      });
      usage.input_tokens += result.usage.input_tokens;
      usage.output_tokens += result.usage.output_tokens;
      const answer = interpretAnswer(result, TopicListSchema, maxTokens);
      if (answer.ok) {
        const names = distinctTopics(answer.value.topics, node.name, config.topics.degree);
        if (names.length > 0) return { names, usage: result.usage };
        opts.journal?.fail({ slot: node.id, attempt, kind: 'schema', message: 'no usable subtopics in the answer', at: new Date().toISOString(), raw: answer.value.topics.join('; ') });
      } else {
        opts.journal?.fail({ slot: node.id, attempt, kind: answer.kind, message: answer.message, raw: answer.raw, at: new Date().toISOString(), will_retry: attempt <= config.provider.max_retries });
        feedback = [{ role: 'user', content: `Your previous answer was rejected: ${answer.message}. Answer again with valid JSON.` }];
      }
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (!(err instanceof ProviderError)) throw err;
      opts.journal?.fail({ slot: node.id, attempt, kind: err.kind, message: err.message, status: err.status, at: new Date().toISOString(), will_retry: attempt <= config.provider.max_retries && !endsTheRun(err.kind, err.status) });
      if (endsTheRun(err.kind, err.status)) throw new FatalRunError(fatalReason(err.kind, err.message, err.status), fatalExitCode(err.kind, err.status));
      await sleep(err.retryAfterMs ?? backoffDelay(attempt), opts.signal);
    }
  }
  return null;
}

/** Targets of every node, top-down by weight, as `leafTargets` would give once the tree is final. */
function nodeTargets(tree: Topic, size: number): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: Topic, target: number): void => {
    out.set(node.id, target);
    const parts = allocate(target, node.children.map((c) => c.weight));
    node.children.forEach((c, i) => walk(c, parts[i]!));
  };
  walk(tree, size);
  return out;
}

export async function expandTopics(config: Config, provider: Provider, opts: ExpandOptions = {}): Promise<ExpandResult> {
  const tree = initialTree(config);
  const usage: Usage = { input_tokens: 0, output_tokens: 0 };
  let calls = 0;
  let done = 0;
  let level: Topic[] = tree.children.length > 0 ? tree.children : [tree];
  let levelNo = tree.children.length > 0 ? 1 : 0;
  while (level.length > 0 && !opts.shouldStop?.()) {
    const targets = nodeTargets(tree, config.size);
    const todo = level.filter((n) => shouldExpand(config, levelNo, targets.get(n.id) ?? 0));
    const total = done + todo.length;
    const queue = [...todo];
    const worker = async (): Promise<void> => {
      for (let node = queue.shift(); node && !opts.shouldStop?.(); node = queue.shift()) {
        const siblings = level.filter((s) => s !== node).map((s) => s.name);
        const known = opts.journal?.done.get(node.id);
        let names = known?.children;
        if (!names) {
          calls++;
          const answer = await askForChildren(config, provider, node, siblings, opts, usage);
          names = answer?.names ?? [];
          const record = { id: node.id, path: node.path, children: names, usage: answer?.usage ?? { input_tokens: 0, output_tokens: 0 }, at: new Date().toISOString() };
          opts.journal?.record(record);
        }
        node.children = names.map((name, i) => ({ id: `${node.id}-${i}`, name, path: [...node.path, name], weight: 1, children: [] }));
        done++;
        opts.events?.emit({ type: 'topic_done', topicId: node.id, path: node.path, children: names, done, total });
      }
    };
    await Promise.all(Array.from({ length: Math.min(config.provider.concurrency, todo.length) }, worker));
    level = todo.flatMap((n) => n.children);
    levelNo++;
  }
  return { tree, usage, costUsd: costOf({ input: usage.input_tokens, output: usage.output_tokens }, priceFor(config)), calls };
}
