import {
  advanceEpisode,
  detectLosses,
  healthFailure,
  type RecoveryEpisode,
} from '../domain/recovery.js';
import type { TaskCause } from '../domain/task-cause.js';
import type { ContainerHealth, Service, Task } from '../domain/types.js';

/** Which services a snapshot's tasks cover (a partial list) and when it was taken. */
export interface TaskCoverage {
  covered: ReadonlySet<string>;
  at: number;
}

/** What the tracker needs. */
export interface RecoveryTrackerOptions {
  /** Health of a task's container (for the first passing probe); undefined when unreachable. */
  healthOf: (task: Task) => Promise<ContainerHealth | undefined>;
  onChange: (episodes: RecoveryEpisode[]) => void;
  /** A node's name for a global service's slot ("lab_worker.labw2"); its id when unknown. */
  nodeName?: (nodeId: string) => string;
  /** Why a task ended, beyond its exit code (its container's events); none by default. */
  causeOf?: (task: Task) => TaskCause | undefined;
  /** How many finished recoveries to keep (default 500). */
  keep?: number;
}

/**
 * Stopwatches recoveries: a running task that ends starts one, whoever ended it (a chaosdeck
 * fault, a crash, an OOM kill, a docker kill elsewhere); its phases come from the tasks' own
 * timestamps and the replacement's health log, not from when a poll happened to see them.
 */
export class RecoveryTracker {
  private episodes: RecoveryEpisode[] = [];
  private lastTasks: Task[] | undefined;
  private lastCoverage: TaskCoverage | undefined;
  private readonly keep: number;

  constructor(private readonly options: RecoveryTrackerOptions) {
    this.keep = options.keep ?? 500;
  }

  /** Every episode, oldest first. */
  list(): RecoveryEpisode[] {
    return this.episodes;
  }

  /** The services with a recovery under way. */
  recoveringServices(): string[] {
    return [
      ...new Set(this.episodes.filter((e) => e.convergedAt === undefined).map((e) => e.serviceId)),
    ];
  }

  /**
   * Feeds one snapshot of the manager's lists. With `coverage` the tasks are those of some
   * services only; a service covered now and not before is judged by its tasks' timestamps.
   */
  async observe(tasks: Task[], services: Service[], coverage?: TaskCoverage): Promise<void> {
    const before = this.lastTasks;
    const lastCoverage = this.lastCoverage;
    this.lastTasks = tasks;
    this.lastCoverage = coverage;
    let changed = false;
    if (before && before !== tasks) {
      const open = this.episodes.filter((e) => e.convergedAt === undefined);
      const fresh =
        coverage && lastCoverage
          ? {
              serviceIds: new Set(
                [...coverage.covered].filter((id) => !lastCoverage.covered.has(id)),
              ),
              since: lastCoverage.at,
            }
          : undefined;
      const found = await Promise.all(
        detectLosses(before, tasks, services, open, fresh, this.options.nodeName).map((e) =>
          this.withHealthFailure(this.withCause(e, tasks), tasks, services),
        ),
      );
      if (found.length > 0) {
        this.episodes = [...this.episodes, ...found].slice(-this.keep);
        changed = true;
      }
    }
    // Indexed once: a big swarm can have hundreds of open recoveries and services.
    const serviceById = new Map(services.map((s) => [s.id, s]));
    const tasksOf = new Map<string, Task[]>();
    for (const t of tasks) {
      const list = tasksOf.get(t.serviceId);
      if (list) list.push(t);
      else tasksOf.set(t.serviceId, [t]);
    }
    const next = await Promise.all(
      this.episodes.map(async (e) => {
        if (e.convergedAt !== undefined) return e;
        const service = serviceById.get(e.serviceId);
        const own = tasksOf.get(e.serviceId) ?? [];
        let advanced = this.withCause(advanceEpisode(e, own, service, undefined), own);
        const replacement = own.find((t) => t.id === advanced.replacementTaskId);
        // With a healthcheck, the replacement's container is read once it starts (when it
        // started: Swarm says running only once healthy) and until its first passing probe.
        const inspect =
          replacement !== undefined &&
          advanced.hasHealthcheck &&
          ((advanced.runningAt !== undefined && advanced.healthyAt === undefined) ||
            (advanced.startedAt === undefined && replacement.state === 'starting'));
        if (inspect) {
          const health = await this.options.healthOf(replacement).catch(() => undefined);
          advanced = this.withCause(advanceEpisode(e, own, service, health), own);
        }
        return advanced;
      }),
    );
    if (next.some((e, i) => e !== this.episodes[i])) changed = true;
    this.episodes = next;
    if (changed) this.options.onChange(this.episodes);
  }

  /**
   * The failed task's cause, once known: the events that tell it (a kill, an OOM) come before
   * Swarm's task list says the task failed, but a node's stream may lag a poll.
   */
  private withCause(e: RecoveryEpisode, tasks: Task[]): RecoveryEpisode {
    if (e.cause || !this.options.causeOf) return e;
    const failed = tasks.find((t) => t.id === e.failedTaskId);
    const cause = failed ? this.options.causeOf(failed) : undefined;
    return cause ? { ...e, cause } : e;
  }

  /**
   * For a service with a healthcheck: reads the ended container's health log (it exists until
   * Swarm trims the task history) and, when its failing streak made it unhealthy, dates the
   * outage from the streak's first probe.
   */
  private async withHealthFailure(
    e: RecoveryEpisode,
    tasks: Task[],
    services: Service[],
  ): Promise<RecoveryEpisode> {
    if (!e.hasHealthcheck) return e;
    const failed = tasks.find((t) => t.id === e.failedTaskId);
    if (!failed?.containerId) return e;
    const retries = services.find((s) => s.id === e.serviceId)?.healthRetries ?? 3;
    const health = await this.options.healthOf(failed).catch(() => undefined);
    const streak = healthFailure(health, retries);
    return streak ? { ...e, ...streak } : e;
  }
}
