/**
 * A set of pairs of non-negative 32-bit integers (word-id bigrams) in one open-addressing table of
 * Int32Array: a JS Set of numbers above 2^31 boxes each one, which made distinct-2 the report's costliest part.
 */
export class PairSet {
  private table = new Int32Array(1 << 16).fill(-1);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(a: number, b: number): void {
    if ((this.count + 1) * 2 > this.table.length / 2) this.grow();
    if (PairSet.insert(this.table, a, b)) this.count++;
  }

  /** Puts (a, b) into `table`; false when it was there already. */
  private static insert(table: Int32Array, a: number, b: number): boolean {
    const mask = (table.length >>> 1) - 1;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
    for (slot &= mask; ; slot = (slot + 1) & mask) {
      const at = slot * 2;
      const x = table[at] as number;
      if (x === -1) {
        table[at] = a;
        table[at + 1] = b;
        return true;
      }
      if (x === a && table[at + 1] === b) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    const next = new Int32Array(old.length * 2).fill(-1);
    this.table = next;
    for (let at = 0; at < old.length; at += 2) {
      const a = old[at] as number;
      if (a !== -1) PairSet.insert(next, a, old[at + 1] as number);
    }
  }
}
