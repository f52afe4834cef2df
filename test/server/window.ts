/** A sliding-window counter: how much happened in the last `windowMs`, and when room frees up. */
export class SlidingWindow {
  private entries: Array<{ at: number; amount: number }> = [];
  private total = 0;

  private prune(now: number, windowMs: number): void {
    let drop = 0;
    while (drop < this.entries.length && (this.entries[drop]?.at ?? 0) <= now - windowMs) {
      this.total -= this.entries[drop]?.amount ?? 0;
      drop++;
    }
    if (drop > 0) this.entries = this.entries.slice(drop);
  }

  used(now: number, windowMs: number): number {
    this.prune(now, windowMs);
    return this.total;
  }

  add(now: number, amount = 1): void {
    this.entries.push({ at: now, amount });
    this.total += amount;
  }

  /** Milliseconds until the oldest entry leaves the window (0 when empty). */
  resetMs(now: number, windowMs: number): number {
    this.prune(now, windowMs);
    const oldest = this.entries[0];
    return oldest ? Math.max(0, oldest.at + windowMs - now) : 0;
  }

  /** Takes one slot if fewer than `limit` are used; otherwise returns how long to wait (ms > 0). */
  tryTake(now: number, limit: number, windowMs: number): number {
    if (this.used(now, windowMs) < limit) {
      this.add(now);
      return 0;
    }
    return Math.max(1, this.resetMs(now, windowMs));
  }
}
