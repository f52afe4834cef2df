/** Two small clocks of the engine's loop: its alarm (sleep until woken or due) and its throughput meter. */

/** One sleeper at a time: sleep until `wake()` or until `dueAt` (epoch ms; Infinity = no timer). */
export class Alarm {
  private wakeUp: (() => void) | null = null;

  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  sleep(dueAt: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(dueAt) ? setTimeout(() => this.wake(), Math.max(0, dueAt - Date.now())) : null;
      this.wakeUp = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Accepted samples per minute over a recent window (30 s), from the start while the run is younger. */
export class Throughput {
  private readonly times: number[] = [];
  private readonly started = Date.now();

  constructor(private readonly windowMs = 30_000) {}

  record(at = Date.now()): void {
    this.times.push(at);
  }

  perMinute(now = Date.now()): number {
    while (this.times.length > 0 && this.times[0]! < now - this.windowMs) this.times.shift();
    const windowS = Math.min(this.windowMs, now - this.started) / 1000;
    // Over the first second the window is short: a rate from one or two samples is still a rate.
    return windowS > 0.5 && this.times.length > 0 ? (this.times.length / windowS) * 60 : 0;
  }
}
