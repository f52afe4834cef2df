/**
 * Seeded, stratified train/validation/test splits whose sizes are exact to the row, with each group of
 * near duplicates kept whole in one split (so nothing leaks from train into evaluation).
 *
 * 1. Split sizes: largest-remainder rounding of ratio x total (ties go to the earlier split).
 * 2. Per category and split, a quota that is the floor or ceiling of count x ratio, with rows and columns
 *    adding up exactly (controlled rounding). Fractional shares below one row are rounded up first, so a
 *    category reaches as many splits as its count allows.
 * 3. Groups of two or more are placed first, where they fit; single samples fill what is left.
 */
import { type Random, seededRandom, shuffled } from './random.js';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
export interface SplitRatios {
  train: number;
  validation: number;
  test: number;
}

const EPS = 1e-9;

export function ratioList(r: SplitRatios): number[] {
  return [r.train, r.validation, r.test];
}

/** Largest-remainder rounding of total x weights; ties go to the lower index. */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const exact = weights.map((w) => total * w);
  const out = exact.map((x) => Math.floor(x + EPS));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - (out[i] as number) }))
    .filter((o) => (weights[o.i] as number) > 0)
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) {
    const i = (order[k] as { i: number }).i;
    out[i] = (out[i] as number) + 1;
  }
  return out;
}

export function splitSizes(total: number, ratios: SplitRatios): number[] {
  return largestRemainder(total, ratioList(ratios));
}

/** Category x split quotas: each the floor or ceiling of count x ratio, rows = counts, columns = totals. */
export function stratifiedQuotas(counts: readonly number[], totals: readonly number[], ratios: readonly number[]): number[][] {
  const shares = counts.map((n) => ratios.map((r) => n * r));
  const quotas = shares.map((row) => row.map((q) => Math.floor(q + EPS)));
  const rowNeed = counts.map((n, c) => n - sum(quotas[c] as number[]));
  const colNeed = totals.map((t, s) => t - sum(quotas.map((row) => row[s] as number)));
  const extra = counts.map(() => ratios.map(() => 0));
  const eligible = (c: number, s: number): boolean =>
    (ratios[s] as number) > 0 && ((shares[c] as number[])[s] as number) - ((quotas[c] as number[])[s] as number) > EPS;

  const cells: { c: number; s: number; empty: boolean; frac: number }[] = [];
  counts.forEach((_, c) =>
    ratios.forEach((_, s) => {
      if (!eligible(c, s)) return;
      const q = (shares[c] as number[])[s] as number;
      cells.push({ c, s, empty: (quotas[c] as number[])[s] === 0, frac: q - Math.floor(q + EPS) });
    }),
  );
  cells.sort((a, b) => Number(b.empty) - Number(a.empty) || b.frac - a.frac || a.c - b.c || a.s - b.s);
  for (const { c, s } of cells) {
    if ((rowNeed[c] as number) > 0 && (colNeed[s] as number) > 0) {
      add(extra, c, s, 1);
      rowNeed[c] = (rowNeed[c] as number) - 1;
      colNeed[s] = (colNeed[s] as number) - 1;
    }
  }

  for (let c = 0; c < counts.length; c++) {
    while ((rowNeed[c] as number) > 0) {
      if (!augment(c, extra, eligible, colNeed)) {
        // No rounding within floor/ceiling is left: give the row to any split that still needs rows.
        const s = colNeed.findIndex((need, i) => need > 0 && (ratios[i] as number) > 0);
        if (s < 0) break;
        add(extra, c, s, 1);
        colNeed[s] = (colNeed[s] as number) - 1;
      }
      rowNeed[c] = (rowNeed[c] as number) - 1;
    }
  }
  return quotas.map((row, c) => row.map((q, s) => q + cell(extra, c, s)));
}

/** An alternating path from row `start` to a column that still needs a row, moving ceilings along it. */
function augment(
  start: number,
  extra: number[][],
  eligible: (c: number, s: number) => boolean,
  colNeed: number[],
): boolean {
  const reachedColFrom = new Map<number, number>(); // column -> row that reached it
  const reachedRowFrom = new Map<number, number>([[start, -1]]); // row -> column it gives up
  const queue = [start];
  while (queue.length > 0) {
    const row = queue.shift() as number;
    for (let s = 0; s < colNeed.length; s++) {
      if (reachedColFrom.has(s) || !eligible(row, s) || cell(extra, row, s) > 0) continue;
      reachedColFrom.set(s, row);
      if ((colNeed[s] as number) > 0) {
        let col = s;
        for (;;) {
          const r = reachedColFrom.get(col) as number;
          add(extra, r, col, 1);
          const givenUp = reachedRowFrom.get(r) as number;
          if (givenUp < 0) break;
          add(extra, r, givenUp, -1);
          col = givenUp;
        }
        colNeed[s] = (colNeed[s] as number) - 1;
        return true;
      }
      for (let r = 0; r < extra.length; r++) {
        if (!reachedRowFrom.has(r) && cell(extra, r, s) > 0) {
          reachedRowFrom.set(r, s);
          queue.push(r);
        }
      }
    }
  }
  return false;
}

function cell(m: number[][], r: number, c: number): number {
  return (m[r] as number[])[c] as number;
}

function add(m: number[][], r: number, c: number, n: number): void {
  (m[r] as number[])[c] = cell(m, r, c) + n;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

export interface SplitAssignment {
  /** Split index (0 train, 1 validation, 2 test) of every item. */
  splitOf: number[];
  /** Rows each split should have (largest remainder) and rows it got; they differ only when a group is too big. */
  targets: number[];
  sizes: number[];
}

/**
 * categories[i] is item i's category; groups partition the items (near duplicates together).
 * Items must come in a stable order (the caller sorts them) for the result to depend only on the seed.
 */
export function assignSplits(
  categories: readonly string[],
  groups: readonly (readonly number[])[],
  ratios: SplitRatios,
  seed: number,
): SplitAssignment {
  const r = ratioList(ratios);
  const random = seededRandom(seed);
  const names = [...new Set(categories)].sort();
  const catIndex = new Map(names.map((n, i) => [n, i]));
  const catOf = categories.map((c) => catIndex.get(c) as number);
  const counts = names.map(() => 0);
  for (const c of catOf) counts[c] = (counts[c] as number) + 1;
  const targets = largestRemainder(categories.length, r);
  const remaining = stratifiedQuotas(counts, targets, r);
  const free = targets.slice();
  const splitOf = categories.map(() => -1);
  const usable = r.map((x, s) => (x > 0 ? s : -1)).filter((s) => s >= 0);

  const multi = shuffled(groups.filter((g) => g.length > 1), random).sort((a, b) => b.length - a.length);
  for (const group of multi) {
    const need = new Map<number, number>();
    for (const i of group) need.set(catOf[i] as number, (need.get(catOf[i] as number) ?? 0) + 1);
    const fitsCells = (s: number) => [...need].every(([c, n]) => cell(remaining, c, s) >= n);
    const fitsTotal = (s: number) => (free[s] as number) >= group.length;
    const rank = (s: number) => (fitsCells(s) && fitsTotal(s) ? 2 : fitsTotal(s) ? 1 : 0);
    const s = usable.reduce((best, x) =>
      rank(x) > rank(best) || (rank(x) === rank(best) && (free[x] as number) > (free[best] as number)) ? x : best,
    );
    for (const i of group) splitOf[i] = s;
    for (const [c, n] of need) add(remaining, c, s, -n);
    free[s] = (free[s] as number) - group.length;
  }

  const singles = names.map((): number[] => []);
  for (const g of groups) if (g.length === 1) (singles[catOf[g[0] as number] as number] as number[]).push(g[0] as number);
  const demand = free.map((f) => Math.max(f, 0));
  trimTo(demand, sum(singles.map((x) => x.length)));
  const take = fillSingles(singles.map((x) => x.length), remaining, demand);
  singles.forEach((items, c) => {
    const order = shuffled(items, random);
    let at = 0;
    (take[c] as number[]).forEach((n, s) => {
      for (let k = 0; k < n; k++) splitOf[order[at++] as number] = s;
    });
  });
  const sizes = r.map(() => 0);
  for (const s of splitOf) sizes[s] = (sizes[s] as number) + 1;
  return { splitOf, targets, sizes };
}

/** Shrinks the largest entries until the total is `total` (only needed when a group overflowed a split). */
function trimTo(demand: number[], total: number): void {
  let excess = sum(demand) - total;
  while (excess > 0) {
    const s = demand.indexOf(Math.max(...demand));
    demand[s] = (demand[s] as number) - 1;
    excess--;
  }
}

/** How many single items of each category go to each split: quotas first, then wherever rows are missing. */
function fillSingles(supply: readonly number[], quotas: number[][], demand: number[]): number[][] {
  const left = supply.slice();
  const take = supply.map(() => demand.map(() => 0));
  const move = (c: number, s: number, n: number) => {
    add(take, c, s, n);
    left[c] = (left[c] as number) - n;
    demand[s] = (demand[s] as number) - n;
  };
  supply.forEach((_, c) =>
    demand.forEach((_, s) => move(c, s, Math.max(0, Math.min(cell(quotas, c, s), left[c] as number, demand[s] as number)))),
  );
  supply.forEach((_, c) =>
    demand.forEach((_, s) => move(c, s, Math.min(left[c] as number, demand[s] as number))),
  );
  return take;
}
