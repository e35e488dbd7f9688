/** The longest delay setTimeout holds; longer ones fire at once (Node warns and uses 1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Timers that end fault windows at a wall-clock time, however far away: a window longer than a
 * timer can hold (~24.8 days) is waited out in steps, each re-armed until the end is reached.
 */
export class WindowTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Calls `end` once `endsAt` (ms since the epoch) has passed; replaces any timer for `id`. */
  set(id: string, endsAt: number, end: () => void): void {
    this.clear(id);
    const arm = () => {
      const left = endsAt - this.now();
      const fire = () => {
        if (endsAt - this.now() > 0) return arm();
        this.timers.delete(id);
        end();
      };
      this.timers.set(id, setTimeout(fire, Math.max(0, Math.min(left, MAX_TIMER_MS))));
    };
    arm();
  }

  /** Stops the timer for `id`, if any. */
  clear(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  /** Stops them all. */
  clearAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
