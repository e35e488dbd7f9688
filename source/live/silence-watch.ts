/** What the silence watch needs. */
export interface SilenceWatchOptions {
  /** GET /_ping with a deadline; without it there is nothing to watch with. */
  ping: ((deadlineMs: number) => Promise<void>) | undefined;
  /** How long without news before a ping, and the ping's deadline (ms). */
  silenceMs: number;
  /** When the engine was last heard from (a good call, an event). */
  heardAt: () => number;
  /** The ping was answered. */
  answered: () => void;
  /** The ping failed or hung past its deadline: the message says which. */
  silent: (error: string) => void;
}

/**
 * Notices an engine that went quiet: a connection that hangs refuses nothing, so a poll waits out
 * its whole deadline and an event stream just stops. After `silenceMs` without news, a ping with
 * a deadline of `silenceMs` says within seconds whether anything answers. Returns the stop
 * function.
 */
export function watchSilence(options: SilenceWatchOptions): () => void {
  const { ping, silenceMs } = options;
  if (!ping) return () => undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    if (Date.now() - options.heardAt() >= silenceMs) {
      try {
        await ping(silenceMs);
        if (!stopped) options.answered();
      } catch (error) {
        if (!stopped) options.silent((error as Error).message);
      }
    }
    if (!stopped) timer = setTimeout(() => void check(), silenceMs);
  };
  timer = setTimeout(() => void check(), silenceMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
