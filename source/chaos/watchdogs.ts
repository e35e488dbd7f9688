import type { SwarmPort } from '../docker/port.js';
import type { FaultRecord } from '../domain/fault.js';
import { describeFault } from '../faults/lines.js';
import { traitsOf } from '../faults/registry.js';

/** What the controller asks of the cluster's watchdogs. */
export interface WatchdogArming {
  /** Arms the fault's watchdog before its change; never throws (it says why it could not). */
  arm(record: FaultRecord): Promise<void>;
  /** Removes the fault's watchdog once its undo is done. */
  disarm(id: string): Promise<void>;
}

/** How watchdogs are run, and when they end a fault nobody ends. */
export interface WatchdogPlan {
  /** chaosdeck's image (its entrypoint is chaosdeck). */
  image: string;
  /** The Docker socket on the managers. */
  socket: string;
  /** The image and socket of the helpers a watchdog reaches other nodes through. */
  helperImage: string;
  helperSocket: string;
  /** The image with tc and iptables for network undos through a helper container. */
  tcImage?: string;
  /** An untimed fault of a run that goes silent this long is undone by the cluster (ms). */
  graceMs: number;
  /**
   * Set when the run leaves untimed faults on purpose (a command without --for): the ledger
   * holds them, not a process, and the cluster ends them this long after they were applied.
   */
  maxHoldMs?: number;
}

/** Default grace: a console silent this long, its untimed faults are undone by the cluster. */
export const DEFAULT_GRACE_MS = 60_000;
/** Default lifetime of a fault a command leaves active. */
export const DEFAULT_MAX_HOLD_MS = 3_600_000;
/** The shortest grace: three heartbeats missed, so a slow manager is not a dead holder. */
export const MIN_GRACE_MS = 15_000;

/** When the watchdog of `record` acts, as its arguments say it (`chaosdeck watchdog …`). */
export function watchdogArgs(record: FaultRecord, plan: WatchdogPlan): string[] {
  const when = record.endsAt
    ? ['--ends-in', `${record.endsAt - record.appliedAt}ms`]
    : plan.maxHoldMs
      ? ['--max-hold', `${plan.maxHoldMs}ms`]
      : ['--holder-grace', `${plan.graceMs}ms`];
  return [
    'watchdog',
    record.id,
    ...when,
    '--helper-image',
    plan.helperImage,
    '--helper-socket',
    plan.helperSocket,
    ...(plan.tcImage ? ['--tc-image', plan.tcImage] : []),
  ];
}

/** What the watchdog of a fault with (`timed`) or without a window does, in words. */
export function watchdogPromise(timed: boolean, plan: WatchdogPlan | undefined): string {
  const s = (ms: number) =>
    ms % 3_600_000 === 0
      ? `${ms / 3_600_000} h`
      : ms % 60_000 === 0
        ? `${ms / 60_000} min`
        : `${Math.round(ms / 1000)} s`;
  if (!plan) return 'ends only while chaosdeck runs (no watchdog)';
  if (timed) return 'its window ends on time even without chaosdeck (watchdog on a manager)';
  if (plan.maxHoldMs)
    return `the cluster undoes it ${s(plan.maxHoldMs)} after it was applied unless undone before (--max-hold)`;
  return `the cluster undoes it ${s(plan.graceMs)} after chaosdeck goes silent (--holder-grace)`;
}

/** What a fault without a watchdog comes to: a partition's rules end on the node regardless. */
function withoutWatchdog(kind: string): string {
  return traitsOf(kind).windowRequired
    ? "the node's own rules still end it on time; its record and cutter stay until chaosdeck runs again (restore)"
    : 'it ends only while chaosdeck runs';
}

const POLL_MS = 500;
/** How long a watchdog may take to start before the fault is said to lack one. */
const START_WITHIN_MS = 30_000;

/**
 * Arms and disarms watchdogs: one service per fault on a manager, running chaosdeck's own undo
 * at the window's end (or after the grace, or the max hold), so a fault ends without the machine
 * that applied it. A watchdog that cannot start leaves the fault as it was before watchdogs:
 * ended by this run only, said so.
 */
export class Watchdogs implements WatchdogArming {
  constructor(
    private readonly swarm: Pick<SwarmPort, 'startWatchdog' | 'removeWatchdog' | 'watchdogTask'>,
    readonly plan: WatchdogPlan,
    private readonly warn: (message: string) => void,
  ) {}

  async arm(record: FaultRecord): Promise<void> {
    const what = `${describeFault(record.kind, record.params)} ${record.target.slotName}`;
    const without = `${what}: no watchdog`;
    try {
      await this.swarm.startWatchdog({
        faultId: record.id,
        image: this.plan.image,
        socket: this.plan.socket,
        args: watchdogArgs(record, this.plan),
      });
    } catch (error) {
      this.warn(`${without} (${(error as Error).message}): ${withoutWatchdog(record.kind)}`);
      return;
    }
    // Swarm takes the service at once; whether its task starts (the image on the managers)
    // shows later: watched in the background, said when it does not.
    void this.confirm(record.id).then(
      (why) => why && this.warn(`${without} (${why}): ${withoutWatchdog(record.kind)}`),
      () => undefined,
    );
  }

  private readonly disarmed = new Set<string>();

  async disarm(id: string): Promise<void> {
    this.disarmed.add(id);
    // Short: a manager that does not answer must not hold up the rest of the undo (a watchdog
    // left behind finds its record gone and removes itself).
    await this.swarm.removeWatchdog(id, 3000);
  }

  /** Undefined once the watchdog runs (or ended: it did its work); else why it did not start. */
  private async confirm(id: string): Promise<string | undefined> {
    const deadline = Date.now() + START_WITHIN_MS;
    for (;;) {
      // Undone already (a short window): nothing left for it to guard.
      if (this.disarmed.has(id)) return undefined;
      const task = await this.swarm.watchdogTask(id).catch(() => undefined);
      if (task?.state === 'running' || task?.state === 'complete') return undefined;
      if (task && ['rejected', 'failed'].includes(task.state))
        return /no such image|not found|pull access/i.test(task.error ?? '')
          ? `the image ${this.plan.image} is not on the managers; load it or give --watchdog-image`
          : `its task ${task.state}: ${task.error ?? 'no reason given'}`;
      if (Date.now() > deadline) return `not started in ${START_WITHIN_MS / 1000} s`;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS).unref());
    }
  }
}
