import type { FaultTarget } from '../domain/fault.js';
import type { RecoveryEpisode } from '../domain/recovery.js';
import { isFailure, isStarting } from '../domain/task-state.js';
import { withRunningCounts } from '../domain/task-slots.js';
import type { SwarmPort } from '../docker/port.js';
import type { GameDay } from '../game-day/game-day.js';

/** What waiting for a service to converge found. */
export interface RecoveryWait {
  converged: boolean;
  /** Recoveries of the target's service that began at or after the fault. */
  episodes: RecoveryEpisode[];
  /** Why it is not converged, when it is not. */
  why?: string;
}

/** Sleeps, or ends early when `stop` says so (checked each step). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Feeds one snapshot of the manager's lists to the game day: the services, and the tasks of the
 * one being watched (filtered by the engine: a big swarm's whole task list every 100 ms would
 * cost more than the wait). Returns the counted services.
 */
export async function observeOnce(gameDay: GameDay, swarm: SwarmPort, serviceId: string) {
  const [tasks, services] = await Promise.all([
    swarm.listTasks({ serviceIds: [serviceId] }),
    swarm.listServices(),
  ]);
  const covered = new Set([serviceId]);
  const counted = withRunningCounts(services, tasks, covered);
  await gameDay.observe(tasks, counted, { covered, at: Date.now() });
  return { tasks, services: counted };
}

/**
 * Polls until the target's service has converged again: back at its desired count, no task
 * starting, every recovery since `since` converged (the target's own, when the fault took it
 * down). Phases come from Swarm's timestamps, not from when a poll saw them.
 */
export async function waitForRecovery(
  gameDay: GameDay,
  swarm: SwarmPort,
  target: FaultTarget,
  options: {
    since: number;
    deadline: number;
    expectLoss: boolean;
    everyMs?: number;
    /** How long the service must stay converged (docker service create's monitor: 5 s). */
    stableMs?: number;
  },
): Promise<RecoveryWait> {
  const every = options.everyMs ?? 100;
  const stableMs = options.stableMs ?? 5000;
  let why = 'not checked yet';
  for (;;) {
    const { tasks, services } = await observeOnce(gameDay, swarm, target.serviceId);
    const episodes = gameDay
      .recoveries()
      .filter((e) => e.serviceId === target.serviceId && e.failedAt >= options.since - 1000);
    const service = services.find((s) => s.id === target.serviceId);
    const lost = episodes.some((e) => e.failedTaskId === target.taskId);
    const open = episodes.filter((e) => e.convergedAt === undefined);
    const starting = tasks.filter((t) => t.serviceId === target.serviceId && isStarting(t));
    if (!service) why = `service ${target.serviceName} is gone`;
    else if (options.expectLoss && !lost) why = `${target.slotName} has not stopped yet`;
    else if (open.length > 0) {
      const again = episodes.length - 1 + episodes.reduce((n, e) => n + e.retries, 0);
      why =
        again > 0
          ? `replacements keep failing: ${again} failed again since the fault, a recovery still open`
          : `${open.length} recovery(ies) still open`;
    } else if (service.running < service.desired)
      why = `${service.running}/${service.desired} replicas running`;
    else if (starting.length > 0) why = `${starting.length} task(s) still starting`;
    else {
      // A replacement that runs for a moment and exits is not a recovery: converged means it
      // stays up, as docker service create's progress waits out its monitor period.
      // The clock starts when the last task came up: a rolling update (a service-scope limit)
      // may take longer than the stable period to start its replacement.
      const mine = tasks.filter((t) => t.serviceId === target.serviceId);
      const lastUp = Math.max(
        0,
        ...mine.filter((t) => t.state === 'running').map((t) => t.stateSince),
      );
      const settled = Math.max(options.since, lastUp, ...episodes.map((e) => e.convergedAt ?? 0));
      const failedSince = mine.filter((t) => isFailure(t.state) && t.stateSince > settled);
      if (failedSince.length > 0) {
        const last = failedSince.sort((a, b) => b.stateSince - a.stateSince)[0]!;
        why = `a replacement failed again at ${new Date(last.stateSince).toISOString()}${last.exitCode !== undefined ? ` (exit ${last.exitCode})` : ''}; ${failedSince.length} failure(s) since it first ran`;
      } else if (Date.now() - settled >= stableMs) return { converged: true, episodes };
      else if (episodes.length > 1)
        why = `replacements keep failing: ${episodes.length} recoveries since the fault; the latest is up ${((Date.now() - settled) / 1000).toFixed(1)}s of the ${stableMs / 1000}s it must stay up`;
      else why = `converged, waiting ${stableMs / 1000}s to see it stay up`;
    }
    if (Date.now() >= options.deadline) return { converged: false, episodes, why };
    await pause(Math.min(every, options.deadline - Date.now()));
  }
}
