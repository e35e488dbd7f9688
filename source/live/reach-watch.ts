import { startTicker } from './ticker.js';

/** The nodes reached through their own endpoints, and a way to ask each if it answers. */
export interface ReachSource {
  endpointNames(): string[];
  /** Asks; `freshMs`: not when the engine answered anything (a call, an event) that lately. */
  ping(name: string, freshMs: number): Promise<void>;
}

// Often enough that a node that went away (or came back) shows within a few seconds; a ping is
// one small request per endpoint node.
const PING_EVERY_MS = 5_000;

/**
 * Pings every endpoint node now and then every few seconds, so that one whose engine went away
 * is marked unreachable (and back again) without a fault or a selection touching it. A round
 * still waiting skips the next. Returns the stop function.
 */
export function watchReach(source: ReachSource, everyMs = PING_EVERY_MS): () => void {
  let busy = false;
  const round = () => {
    if (busy) return;
    busy = true;
    // The result is in the source's reach listeners; a failed ping is the news, not an error.
    // An engine that answered within the last round (an event, a call) needs no ping.
    const pings = source.endpointNames().map((name) => source.ping(name, everyMs));
    void Promise.allSettled(pings).then(() => {
      busy = false;
    });
  };
  round();
  return startTicker(round, everyMs);
}
