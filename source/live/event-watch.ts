import type { EngineEvent } from '../domain/types.js';
import type { SwarmPort } from '../docker/port.js';

/** Connection state of the event stream. */
export type StreamState =
  { state: 'live' } | { state: 'reconnecting'; error?: string; attempt: number };

/** Options for the reconnecting event watch. */
export interface EventWatchOptions {
  onEvent: (event: EngineEvent) => void;
  onState: (state: StreamState) => void;
  /** First backoff step (default 250 ms); doubles up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Follows the engine's event stream and reconnects with exponential backoff after a drop or a
 * daemon restart. Returns the stop function.
 */
export function watchEvents(
  port: Pick<SwarmPort, 'streamEvents'>,
  options: EventWatchOptions,
): () => void {
  const initial = options.initialBackoffMs ?? 250;
  const max = options.maxBackoffMs ?? 10_000;
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let subscription: { stop(): void } | undefined;

  const retry = (error?: Error) => {
    if (stopped) return;
    attempt += 1;
    options.onState({ state: 'reconnecting', attempt, ...(error ? { error: error.message } : {}) });
    const delay = Math.min(max, initial * 2 ** Math.min(attempt - 1, 16));
    timer = setTimeout(connect, delay);
  };

  async function connect() {
    if (stopped) return;
    try {
      const sub = await port.streamEvents(options.onEvent, (error) => {
        subscription = undefined;
        retry(error ?? new Error('event stream ended'));
      });
      if (stopped) {
        sub.stop();
        return;
      }
      subscription = sub;
      attempt = 0;
      options.onState({ state: 'live' });
    } catch (error) {
      retry(error as Error);
    }
  }

  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    subscription?.stop();
  };
}
