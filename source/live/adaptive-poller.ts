/** Options for an adaptive poller. */
export interface AdaptivePollerOptions {
  /** One poll; resolves to true while things are changing (poll fast), false when calm. */
  poll: () => Promise<boolean>;
  /** Interval while changing (default 500 ms). */
  fastMs?: number;
  /** Interval when calm (default 2000 ms); a function is asked again before each calm wait. */
  slowMs?: number | (() => number);
  /** How long a kick waits to gather a burst of hints into one poll (default 25 ms). */
  kickDelayMs?: number;
  /** Called when a poll throws; polling goes on at the calm interval. */
  onError?: (error: unknown) => void;
}

/** A running poller. */
export interface AdaptivePoller {
  /** Polls soon (events are hints that something changed). */
  kick(): void;
  stop(): void;
}

/**
 * Polls at about `fastMs` while the last poll said things are changing and at `slowMs` when
 * calm; never runs two polls at once. Starts with an immediate poll.
 */
export function startAdaptivePoller(options: AdaptivePollerOptions): AdaptivePoller {
  const fastMs = options.fastMs ?? 500;
  const slow = options.slowMs ?? 2000;
  const slowMs = () => (typeof slow === 'number' ? slow : slow());
  const kickDelayMs = options.kickDelayMs ?? 25;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pendingKick = false;
  let stopped = false;
  let dueAt = 0;

  const schedule = (delay: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    dueAt = Date.now() + delay;
    timer = setTimeout(run, delay);
  };

  async function run() {
    timer = undefined;
    if (stopped) return;
    if (running) {
      pendingKick = true;
      return;
    }
    running = true;
    let nextDelay: number;
    try {
      nextDelay = (await options.poll()) ? fastMs : slowMs();
    } catch (error) {
      nextDelay = slowMs();
      options.onError?.(error);
    } finally {
      running = false;
    }
    if (pendingKick) {
      pendingKick = false;
      schedule(kickDelayMs);
    } else {
      schedule(nextDelay);
    }
  }

  schedule(0);
  return {
    kick() {
      if (stopped) return;
      if (running) {
        pendingKick = true;
        return;
      }
      // Only pull a poll earlier, never push a sooner one back (the first poll, due at once).
      if (!timer || dueAt > Date.now() + kickDelayMs) schedule(kickDelayMs);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
