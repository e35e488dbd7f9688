import type { TaskCause } from './task-cause.js';
import { slotNameOf } from './task-slots.js';
import { isTerminal } from './task-state.js';
import type { ContainerHealth, Service, Task } from './types.js';

/** One recovery: a running task was lost and Swarm brought its slot back. */
export interface RecoveryEpisode {
  id: string;
  serviceId: string;
  serviceName: string;
  /** "3" for a replica slot, the node id for a global service. */
  slotKey: string;
  /** The slot as the console names it ("lab_worker.labw2"); older journals lack it. */
  slotName?: string;
  failedTaskId: string;
  failedState: Task['state'];
  exitCode?: number;
  /**
   * Why the failed task ended, where more is known than its exit code (an OOM kill, a kill and
   * who sent it, an unhealthy container): from its container's events.
   */
  cause?: TaskCause;
  /** Old task reached failed/shutdown/complete (its Status.Timestamp). */
  failedAt: number;
  /**
   * For a container Swarm killed as unhealthy: when the first probe of the failing streak began
   * (the user's outage began there), and when the streak reached the healthcheck's retries.
   */
  firstFailingProbeAt?: number;
  unhealthyAt?: number;
  replacementTaskId?: string;
  /** Replacement task created (its CreatedAt). */
  createdAt?: number;
  /**
   * Replacement's container started (its State.StartedAt), read for a service with a healthcheck:
   * there Swarm says running only once the container is healthy, so the wait for the first
   * passing probe lies between this and `healthyAt`.
   */
  startedAt?: number;
  /** Replacement running (its Status.Timestamp on reaching running). */
  runningAt?: number;
  /** Replacement's first passing healthcheck (probe end time from the health log). */
  healthyAt?: number;
  /** The service was back at its desired count with every recovered slot healthy. */
  convergedAt?: number;
  hasHealthcheck: boolean;
  restartDelayMs: number;
  /** Replacements that failed again before the slot recovered (flapping, OOM loops). */
  retries: number;
}

const slotKeyOf = (t: Task) => (t.slot === undefined ? t.nodeId : String(t.slot));

/** The episode's slot as the console names it: "lab_api.1", "lab_worker.labw2". */
export function episodeSlot(
  e: Pick<RecoveryEpisode, 'slotName' | 'serviceName' | 'slotKey'>,
): string {
  return e.slotName ?? `${e.serviceName}.${e.slotKey}`;
}

// Swarm's timestamps and the update's may differ by a little; a second is plenty.
const UPDATE_SLACK_MS = 1000;

/**
 * A task a rolling update replaced: shut down by Swarm without an error while the service's
 * update ran. Not a loss: the update's own progress is the story there, and a replacement that
 * then fails (an OOM under a new limit) is a loss of its own.
 */
function shutDownByUpdate(t: Task, service: Service): boolean {
  const w = service.updateWindow;
  if (t.state !== 'shutdown' || t.error || !w) return false;
  return (
    t.stateSince >= w.from - UPDATE_SLACK_MS && t.stateSince <= (w.to ?? Infinity) + UPDATE_SLACK_MS
  );
}

/** Services whose tasks were not listed last time: a task of theirs counts by its timestamp. */
export interface FreshCoverage {
  serviceIds: ReadonlySet<string>;
  /** When the previous snapshot was taken (epoch ms): what ended after it is news. */
  since: number;
}

/**
 * Finds tasks that were running in `before` and have ended in `after`: each starts a recovery.
 * For a service in `fresh` (its tasks were not listed before, only its counts), a task that had
 * a container and ended after `fresh.since` is a loss too. Tasks whose service shrank (scale
 * down) are not losses.
 */
export function detectLosses(
  before: Task[],
  after: Task[],
  services: Service[],
  open: RecoveryEpisode[],
  fresh?: FreshCoverage,
  nodeName: (nodeId: string) => string = (id) => id,
): RecoveryEpisode[] {
  const wasRunning = new Map(before.filter((t) => t.state === 'running').map((t) => [t.id, t]));
  const serviceById = new Map(services.map((s) => [s.id, s]));
  const openSlots = new Set(
    open.filter((e) => e.convergedAt === undefined).map((e) => `${e.serviceId}/${e.slotKey}`),
  );
  const found: RecoveryEpisode[] = [];
  const ranAndEndedLately = (t: Task) =>
    fresh !== undefined &&
    fresh.serviceIds.has(t.serviceId) &&
    t.containerId !== undefined &&
    t.state !== 'rejected' &&
    t.stateSince >= fresh.since;
  // Oldest first: when one slot lost two tasks, the first loss starts its recovery.
  const ended = after
    .filter((t) => isTerminal(t.state) && (wasRunning.has(t.id) || ranAndEndedLately(t)))
    .sort((a, b) => a.stateSince - b.stateSince);
  for (const t of ended) {
    const service = serviceById.get(t.serviceId);
    if (!service) continue;
    const slotKey = slotKeyOf(t);
    // A replacement failing again belongs to the open episode of its slot.
    if (openSlots.has(`${t.serviceId}/${slotKey}`)) continue;
    if (service.mode === 'replicated' && t.slot !== undefined && t.slot > service.desired) continue;
    if (shutDownByUpdate(t, service)) continue;
    openSlots.add(`${t.serviceId}/${slotKey}`);
    found.push({
      id: `${t.id}`,
      serviceId: t.serviceId,
      serviceName: service.name,
      slotKey,
      slotName: slotNameOf(service.name, t, nodeName),
      failedTaskId: t.id,
      failedState: t.state,
      ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}),
      failedAt: t.stateSince,
      hasHealthcheck: service.hasHealthcheck,
      restartDelayMs: service.restartDelayMs,
      retries: 0,
    });
  }
  return found;
}

/** First passing probe that started after the container started: when Docker marked it healthy. */
export function firstHealthyAt(health: ContainerHealth | undefined): number | undefined {
  if (!health) return undefined;
  const since = health.startedAt ?? 0;
  const passing = health.probes
    .filter((p) => p.exitCode === 0 && p.start >= since)
    .sort((a, b) => a.start - b.start);
  return passing[0]?.end;
}

/**
 * Advances an episode with the latest task list and the replacement's health. Pure: the same
 * inputs give the same phases, all taken from Swarm's and Docker's own timestamps.
 */
export function advanceEpisode(
  e: RecoveryEpisode,
  tasks: Task[],
  service: Service | undefined,
  replacementHealth: ContainerHealth | undefined,
): RecoveryEpisode {
  if (e.convergedAt !== undefined) return e;
  // Its successors are the slot's tasks made after it: a node back from a cut reports the old
  // task's end after Swarm made its replacement (seconds before, for a global service's).
  const failedMade = tasks.find((t) => t.id === e.failedTaskId)?.createdAt;
  const slot = tasks
    .filter(
      (t) =>
        t.serviceId === e.serviceId &&
        slotKeyOf(t) === e.slotKey &&
        t.id !== e.failedTaskId &&
        (failedMade !== undefined ? t.createdAt > failedMade : t.createdAt >= e.failedAt - 2000),
    )
    .sort((a, b) => a.createdAt - b.createdAt);
  const current = slot.at(-1);
  if (!current) return e;
  let next: RecoveryEpisode = {
    ...e,
    retries: slot.filter(
      (t) => isTerminal(t.state) && t.desiredState === 'shutdown' && t.state !== 'shutdown',
    ).length,
  };
  if (next.replacementTaskId !== current.id) {
    // A new replacement (the first, or one after a failed retry): its phases start over.
    next = { ...next, replacementTaskId: current.id, createdAt: slot[0]!.createdAt };
    delete next.startedAt;
    delete next.runningAt;
    delete next.healthyAt;
  }
  // The inspection is of the current replacement's container (it has started once inspected).
  if (replacementHealth?.startedAt !== undefined && next.startedAt === undefined)
    next.startedAt = replacementHealth.startedAt;
  if (current.state === 'running' && next.runningAt === undefined)
    next.runningAt = current.stateSince;
  if (next.runningAt !== undefined && e.hasHealthcheck && next.healthyAt === undefined) {
    const at = firstHealthyAt(replacementHealth);
    if (at !== undefined) next.healthyAt = at;
  }
  const slotUp =
    next.runningAt !== undefined && (!e.hasHealthcheck || next.healthyAt !== undefined);
  if (slotUp && service && service.running >= service.desired) {
    next.convergedAt = Math.max(next.healthyAt ?? 0, next.runningAt ?? 0);
  }
  return next;
}

/** Phase durations from the failure, in ms (undefined until reached). */
export interface RecoveryPhases {
  /** For a health failure: the streak reached its retries, and Swarm's kill (the task failed). */
  unhealthy?: number;
  killed?: number;
  created?: number;
  /** The replacement's container started (read where there is a healthcheck). */
  started?: number;
  running?: number;
  healthy?: number;
  converged?: number;
}

/** Where the user's outage began: the first failing probe of a health failure, else the failure. */
export function outageStart(e: RecoveryEpisode): number {
  return e.firstFailingProbeAt ?? e.failedAt;
}

/**
 * A container's failing streak from its health log, when it is long enough to have made the
 * container unhealthy: the first failing probe's start and the end of the `retries`-th. Docker
 * keeps the last five probes, so a longer streak starts at or before the first one kept.
 */
export function healthFailure(
  health: ContainerHealth | undefined,
  retries: number,
): { firstFailingProbeAt: number; unhealthyAt: number } | undefined {
  if (!health) return undefined;
  const since = health.startedAt ?? 0;
  const probes = health.probes.filter((p) => p.start >= since).sort((a, b) => a.start - b.start);
  let first = probes.length;
  while (first > 0 && probes[first - 1]!.exitCode !== 0) first--;
  const streak = probes.slice(first);
  if (streak.length < retries) return undefined;
  return { firstFailingProbeAt: streak[0]!.start, unhealthyAt: streak[retries - 1]!.end };
}

/** Each phase's time from the start of the outage (the failure, or the first failing probe). */
export function phasesOf(e: RecoveryEpisode): RecoveryPhases {
  const start = outageStart(e);
  const rel = (t: number | undefined) => (t === undefined ? undefined : t - start);
  return {
    ...(e.unhealthyAt !== undefined ? { unhealthy: rel(e.unhealthyAt)! } : {}),
    ...(e.firstFailingProbeAt !== undefined ? { killed: rel(e.failedAt)! } : {}),
    ...(e.createdAt !== undefined ? { created: rel(e.createdAt)! } : {}),
    ...(e.startedAt !== undefined ? { started: rel(e.startedAt)! } : {}),
    ...(e.runningAt !== undefined ? { running: rel(e.runningAt)! } : {}),
    ...(e.healthyAt !== undefined ? { healthy: rel(e.healthyAt)! } : {}),
    ...(e.convergedAt !== undefined ? { converged: rel(e.convergedAt)! } : {}),
  };
}

/** Per-service figures over its recoveries. */
export interface RecoveryStats {
  count: number;
  toRunning?: { min: number; median: number; max: number };
  toHealthy?: { min: number; median: number; max: number };
  inProgress: number;
  notConverged: number;
}

function spread(values: number[]): { min: number; median: number; max: number } | undefined {
  if (values.length === 0) return undefined;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { min: v[0]!, median, max: v.at(-1)! };
}

/** A recovery open this long is counted as not converging. */
export const STUCK_AFTER_MS = 60_000;

/**
 * Count, min / median / max to running and to healthy, and recoveries that did not converge:
 * those whose replacements failed again (flapping, OOM loops) or still open after a minute.
 */
export function recoveryStats(episodes: RecoveryEpisode[], now = Date.now()): RecoveryStats {
  const done = episodes.map(phasesOf);
  // A replacement up before the old task's end was recorded (a node back from a cut) had no gap:
  // 0, not a negative time to running.
  const gap = (ms: number | undefined) => (ms === undefined ? [] : [Math.max(0, ms)]);
  const running = spread(done.flatMap((p) => gap(p.running)));
  const healthy = spread(done.flatMap((p) => gap(p.healthy)));
  return {
    count: episodes.length,
    ...(running ? { toRunning: running } : {}),
    ...(healthy ? { toHealthy: healthy } : {}),
    inProgress: episodes.filter(
      (e) => e.convergedAt === undefined && now - e.failedAt <= STUCK_AFTER_MS,
    ).length,
    notConverged: episodes.filter(
      (e) => e.retries > 0 || (e.convergedAt === undefined && now - e.failedAt > STUCK_AFTER_MS),
    ).length,
  };
}
