/**
 * Samples made from one document chunk stay in one split, so a test question never shares its source
 * passage with a training row; a sample an augmentation derived from another stays in its origin's
 * split. The near-duplicate groups are joined wherever two of them hold items with a key in common;
 * when nothing is joined the groups come back unchanged (the same array), so sessions without sources or
 * augmentations split exactly as before.
 */
export function joinGroupsByKey(
  groups: readonly (readonly number[])[],
  keysOf: (item: number) => string | undefined | readonly string[],
): readonly (readonly number[])[] {
  const parent = groups.map((_, g) => g);
  const find = (g: number): number => {
    let root = g;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[g] !== root) {
      const next = parent[g] as number;
      parent[g] = root;
      g = next;
    }
    return root;
  };
  const groupOfKey = new Map<string, number>();
  let joined = false;
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    parent[Math.max(ra, rb)] = Math.min(ra, rb);
    joined = true;
  };
  groups.forEach((members, g) => {
    for (const item of members) {
      const keys = keysOf(item);
      for (const key of keys === undefined ? [] : typeof keys === 'string' ? [keys] : keys) {
        const other = groupOfKey.get(key);
        if (other === undefined) groupOfKey.set(key, g);
        else union(other, g);
      }
    }
  });
  if (!joined) return groups;
  const byRoot = new Map<number, number[]>();
  groups.forEach((members, g) => {
    const root = find(g);
    const list = byRoot.get(root);
    if (list) list.push(...members);
    else byRoot.set(root, [...members]);
  });
  return [...byRoot.values()];
}
