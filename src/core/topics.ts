/**
 * Topic expansion (SPEC 4): the tree grows level by level, one structured call per node, each prompt
 * carrying the node's full path and its siblings. Duplicate and near-identical siblings are dropped. Requests
 * go through the run's executor and are booked in its ledger; every expanded node is appended to
 * topics.jsonl, so an interrupted expansion resumes per node. A node whose every attempt failed is not
 * journaled: it stays pending, and the caller must not sample from a tree that lacks it.
 */
import { interpretAnswer } from './answer.js';
import { backoffDelay, sleep } from './backoff.js';
import type { Config } from './config.js';
import type { EventBus } from './events.js';
import type { Executor } from './executor.js';
import type { RunLedger } from './ledger.js';
import { TopicListSchema } from './prompts.js';
import { allocate, hash32 } from './random.js';
import { topicRequest, type Feedback } from './requests.js';
import { endsTheRun, fatalExitCode, fatalReason, type Failure, type Topic, type Usage } from './types.js';
import { initialTree, shouldExpand } from './tree.js';
import type { TopicRecord } from './session/index.js';

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
  /** Sends the requests: the run's executor, so expansion is paced by the same limiter as samples. */
  executor: Executor;
  /** Books the spend (stage `topics`). */
  ledger: RunLedger;
  events?: EventBus;
  signal?: AbortSignal;
  journal?: TopicJournal;
  /** A graceful stop: no new node is started once this says true; nodes in flight finish. */
  shouldStop?: () => boolean;
}

export interface ExpandResult {
  tree: Topic;
  /** Nodes whose every attempt failed: they have no children yet and stay pending in the journal. */
  failed: { id: string; path: string[]; message: string }[];
  /** Nodes asked for in this call (each may have taken retries). */
  requests: number;
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

/** Asks for a node's subtopics, with retries; null when every attempt failed (the node stays pending). */
async function askForChildren(config: Config, node: Topic, siblings: string[], opts: ExpandOptions): Promise<{ names: string[]; usage: Usage } | { failed: string }> {
  let feedback: Feedback = [];
  const total: Usage = { input_tokens: 0, output_tokens: 0 };
  let last = 'no answer';
  for (let attempt = 1; attempt <= config.provider.max_retries + 1; attempt++) {
    const willRetry = attempt <= config.provider.max_retries;
    const prepared = topicRequest(config, node.path, siblings, feedback);
    const outcome = await opts.executor.run({ request: prepared.request, estimateTokens: prepared.estimateTokens, stillWanted: () => !opts.shouldStop?.() }, opts.signal ?? new AbortController().signal);
    if (!outcome.ok) {
      if (outcome.aborted) throw outcome.error;
      const err = outcome.error;
      last = `${err.kind}: ${err.message}`;
      opts.journal?.fail({ slot: node.id, attempt, kind: err.kind, message: err.message, status: err.status, at: new Date().toISOString(), will_retry: willRetry && !endsTheRun(err.kind, err.status) });
      if (endsTheRun(err.kind, err.status)) throw new FatalRunError(fatalReason(err.kind, err.message, err.status), fatalExitCode(err.kind, err.status));
      if (willRetry) await sleep(err.retryAfterMs ?? backoffDelay(attempt), opts.signal);
      continue;
    }
    const result = outcome.result;
    const booked = opts.ledger.book('topics', result.usage, opts.executor.price, prepared.worstCase);
    total.input_tokens += booked.usage.input_tokens;
    total.output_tokens += booked.usage.output_tokens;
    const answer = interpretAnswer(result, TopicListSchema, prepared.request.maxOutputTokens);
    if (answer.ok) {
      const names = distinctTopics(answer.value.topics, node.name, config.topics.degree);
      if (names.length > 0) return { names, usage: total };
      last = 'schema: no usable subtopics in the answer';
      opts.journal?.fail({ slot: node.id, attempt, kind: 'schema', message: 'no usable subtopics in the answer', at: new Date().toISOString(), raw: answer.value.topics.join('; '), will_retry: willRetry, usage: booked.usage });
    } else {
      last = `${answer.kind}: ${answer.message}`;
      opts.journal?.fail({ slot: node.id, attempt, kind: answer.kind, message: answer.message, raw: answer.raw, at: new Date().toISOString(), will_retry: willRetry, usage: booked.usage });
      feedback = [{ role: 'user', content: `Your previous answer was rejected: ${answer.message}. Answer again with valid JSON.` }];
    }
  }
  return { failed: last };
}

/** What a node's journal record must match to be reused: the inputs its prompt was built from. */
export function topicKey(config: Config, path: string[]): string {
  return hash32(JSON.stringify([config.task, config.domain, config.instructions, config.topics.degree, path])).toString(36);
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

export async function expandTopics(config: Config, opts: ExpandOptions): Promise<ExpandResult> {
  const tree = initialTree(config);
  const failed: ExpandResult['failed'] = [];
  let requests = 0;
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
        const key = topicKey(config, node.path);
        const known = opts.journal?.done.get(node.id);
        let names = known && (known.key === undefined || known.key === key) ? known.children : undefined;
        if (!names) {
          requests++;
          const answer = await askForChildren(config, node, siblings, opts);
          if ('failed' in answer) {
            // Not journaled: the node stays pending, and a resume asks for it again.
            failed.push({ id: node.id, path: node.path, message: answer.failed });
            continue;
          }
          names = answer.names;
          opts.journal?.record({ id: node.id, key, path: node.path, children: names, usage: answer.usage, at: new Date().toISOString() });
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
  return { tree, failed, requests };
}
