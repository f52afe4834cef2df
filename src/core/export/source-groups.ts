/**
 * Samples made from one document chunk stay in one split, so a test question never shares its source
 * passage with a training row. The near-duplicate groups are joined wherever two of them hold samples
 * of the same `source.chunk_id`; without any chunk id the groups come back unchanged (the same array), so
 * sessions without sources split exactly as before.
 */
export function joinGroupsByKey(groups: readonly (readonly number[])[], keyOf: (item: number) => string | undefined): readonly (readonly number[])[] {
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
  groups.forEach((members, g) => {
    for (const item of members) {
      const key = keyOf(item);
      if (key === undefined) continue;
      const other = groupOfKey.get(key);
      if (other === undefined) groupOfKey.set(key, g);
      else {
        const [a, b] = [find(other), find(g)];
        if (a !== b) {
          parent[Math.max(a, b)] = Math.min(a, b);
          joined = true;
        }
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
