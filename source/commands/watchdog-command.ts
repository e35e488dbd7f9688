import type { ClusterRecord } from '../chaos/cluster-ledger.js';
import type { FaultRecord } from '../domain/fault.js';
import { faultSummary } from '../faults/lines.js';

/** When a watchdog acts: one of these, from its arguments. */
export interface WatchdogTiming {
  /** The window: this long after the record was written (the manager's clock). */
  endsInMs?: number;
  /** A silent holder: this long without a heartbeat (the record unchanged). */
  graceMs?: number;
  /** A fault the ledger holds (a command left it): this long after it was written. */
  maxHoldMs?: number;
}

/** A live holder's own timer goes first: the watchdog acts this long after the window's end. */
export const WATCHDOG_SLACK_MS = 500;

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Why the watchdog acts now, or undefined while it waits. Every time is the swarm's: the
 * record's creation and last change (the holder's heartbeat), against the manager's clock the
 * watchdog runs on, so a laptop's clock never decides when a fault ends.
 */
export function watchdogDue(
  timing: WatchdogTiming,
  record: { createdAt: number; updatedAt: number },
  now: number,
): string | undefined {
  if (
    timing.endsInMs !== undefined &&
    now >= record.createdAt + timing.endsInMs + WATCHDOG_SLACK_MS
  )
    return `its ${secs(timing.endsInMs)} window is over`;
  if (timing.maxHoldMs !== undefined && now >= record.createdAt + timing.maxHoldMs)
    return `it has been active ${secs(timing.maxHoldMs)}, the longest a command's fault is left (--max-hold)`;
  if (timing.graceMs !== undefined && now - record.updatedAt >= timing.graceMs)
    return `its holder has said nothing for ${secs(now - record.updatedAt)} (grace ${secs(timing.graceMs)})`;
  return undefined;
}

/** What the watchdog's loop needs: the swarm's record, the undo, a clock. */
export interface WatchdogDeps {
  read(): Promise<(ClusterRecord & { createdAt: number; updatedAt: number }) | undefined>;
  /** Takes the fault over and undoes it (claimed in the swarm, so it runs once). */
  undo(record: FaultRecord): Promise<'done' | 'gone' | 'died' | 'failed'>;
  say(line: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
}

const POLL_MS = 500;
/** After an undo that found the fault claimed by another: look again this much later. */
const AGAIN_MS = 5000;

/**
 * The watchdog's life: it reads its fault's record every second until it is gone (undone by its
 * holder, or by the watchdog once due). Returns why it ends, for its last log line.
 */
export async function watchOver(timing: WatchdogTiming, deps: WatchdogDeps): Promise<string> {
  let tried = false;
  let quietUntil = 0;
  for (;;) {
    let held: Awaited<ReturnType<WatchdogDeps['read']>>;
    try {
      held = await deps.read();
    } catch (error) {
      deps.say(`its record cannot be read (${(error as Error).message}); trying again`);
      await deps.sleep(2000);
      continue;
    }
    if (!held)
      return tried
        ? 'the fault is undone and its record gone'
        : 'its record is gone: the fault was undone by its holder';
    const why = watchdogDue(timing, held, deps.now());
    // Once taken over, the controller here retries a failed undo by itself: wait for the record.
    if (why && !tried && deps.now() >= quietUntil) {
      deps.say(`${faultSummary(held.record)} (held by ${held.owner}): ${why}; undoing it`);
      const outcome = await deps.undo(held.record);
      deps.say(
        outcome === 'done'
          ? 'undone'
          : outcome === 'failed'
            ? 'the undo failed; trying again'
            : outcome === 'died'
              ? 'its target died: nothing to put back'
              : 'its target is gone (Swarm replaced the task), or another is undoing it',
      );
      if (outcome === 'gone') quietUntil = deps.now() + AGAIN_MS;
      else tried = true;
    }
    await deps.sleep(POLL_MS);
  }
}
