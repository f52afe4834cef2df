/**
 * The topic tree: its shape before expansion, how `size` is spread over its leaves (weights respected,
 * largest remainder, so targets add up exactly), and the edits a user makes to it (remove, rename,
 * reweight). Everything here is pure.
 */
import type { Config } from './config.js';
import { allocate } from './random.js';
import type { LeafTarget, Topic } from './types.js';

export const ROOT_ID = 't0';

/** The tree before any LLM call: the root (the domain) with the user's categories as children. */
export function initialTree(config: Config): Topic {
  return {
    id: ROOT_ID,
    name: config.domain,
    path: [],
    weight: 1,
    children: config.topics.categories.map((c, i) => ({
      id: `${ROOT_ID}-${i}`,
      name: c.name,
      path: [c.name],
      weight: c.weight,
      children: [],
    })),
  };
}

/** The level at which the tree's leaves sit once fully expanded (root = 0). */
export function leafLevel(config: Config): number {
  return config.topics.categories.length > 0 ? 1 + config.topics.depth : config.topics.depth;
}

/** Depth of a node from its id (`t0` = 0, `t0-3` = 1, ...). */
export function levelOf(topic: Topic): number {
  return topic.path.length;
}

/** Leaves with their targets; leaves whose share rounds to 0 are trimmed (an over-full list). */
export function leafTargets(tree: Topic, size: number): LeafTarget[] {
  const out: LeafTarget[] = [];
  const walk = (node: Topic, target: number): void => {
    if (target <= 0) return;
    if (node.children.length === 0) {
      out.push({ topicId: node.id, category: node.path[0] ?? node.name, path: node.path, target });
      return;
    }
    const parts = allocate(target, node.children.map((c) => c.weight));
    node.children.forEach((child, i) => walk(child, parts[i]!));
  };
  walk(tree, size);
  return out;
}

/** Category targets (level-1 nodes, or the root when there are none). */
export function categoryTargets(tree: Topic, size: number): { name: string; weight: number; target: number }[] {
  if (tree.children.length === 0) return [{ name: tree.name, weight: 1, target: size }];
  const parts = allocate(size, tree.children.map((c) => c.weight));
  return tree.children.map((c, i) => ({ name: c.name, weight: c.weight, target: parts[i]! })).filter((c) => c.target > 0);
}

/**
 * Whether expansion should ask for children of a node holding `target` slots: only above the leaf level,
 * and only when the node would hold at least two examples (a one-example topic needs no subtopics).
 */
export function shouldExpand(config: Config, level: number, target: number): boolean {
  return level < leafLevel(config) && target >= 2;
}

/** How many expansion calls a full expansion makes, assuming `degree` equal-weight children per node. */
export function plannedExpansionCalls(config: Config): number {
  const degree = config.topics.degree;
  let calls = 0;
  const visit = (level: number, target: number): void => {
    if (!shouldExpand(config, level, target)) return;
    calls += 1;
    allocate(target, Array.from({ length: degree }, () => 1)).forEach((t) => visit(level + 1, t));
  };
  const start = initialTree(config);
  if (start.children.length === 0) visit(0, config.size);
  else {
    const parts = allocate(config.size, start.children.map((c) => c.weight));
    parts.forEach((t) => visit(1, t));
  }
  return calls;
}

export function countNodes(tree: Topic): number {
  return 1 + tree.children.reduce((n, c) => n + countNodes(c), 0);
}

export type TreeEdit =
  | { op: 'remove'; id: string }
  | { op: 'rename'; id: string; name: string }
  | { op: 'reweight'; id: string; weight: number };

/** Applies one edit and returns a new tree; ids never change, so slots stay stable. */
export function editTree(tree: Topic, edit: TreeEdit): Topic {
  if (edit.op === 'remove' && edit.id === tree.id) throw new Error('the root topic cannot be removed');
  if (edit.op === 'reweight' && !(edit.weight > 0)) throw new Error('a weight must be greater than 0');
  if (edit.op === 'rename' && edit.name.trim() === '') throw new Error('a topic name must not be empty');
  const rebuild = (node: Topic, parentPath: string[]): Topic => {
    const name = edit.op === 'rename' && node.id === edit.id ? edit.name.trim() : node.name;
    const weight = edit.op === 'reweight' && node.id === edit.id ? edit.weight : node.weight;
    const path = node.id === tree.id ? [] : [...parentPath, name];
    const children = node.children
      .filter((c) => !(edit.op === 'remove' && c.id === edit.id))
      .map((c) => rebuild(c, path));
    return { ...node, name, weight, path, children };
  };
  return rebuild(tree, []);
}

export function findTopic(tree: Topic, id: string): Topic | undefined {
  if (tree.id === id) return tree;
  for (const child of tree.children) {
    const hit = findTopic(child, id);
    if (hit) return hit;
  }
  return undefined;
}
