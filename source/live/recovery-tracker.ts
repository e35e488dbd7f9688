import { advanceEpisode, detectLosses, type RecoveryEpisode } from '../domain/recovery.js';
import type { ContainerHealth, Service, Task } from '../domain/types.js';

/** What the tracker needs. */
export interface RecoveryTrackerOptions {
  /** Health of a task's container (for the first passing probe); undefined when unreachable. */
  healthOf: (task: Task) => Promise<ContainerHealth | undefined>;
  onChange: (episodes: RecoveryEpisode[]) => void;
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
  private readonly keep: number;

  constructor(private readonly options: RecoveryTrackerOptions) {
    this.keep = options.keep ?? 500;
  }

  /** Every episode, oldest first. */
  list(): RecoveryEpisode[] {
    return this.episodes;
  }

  /** True while a recovery is under way (then the caller should poll fast). */
  recovering(): boolean {
    return this.episodes.some((e) => e.convergedAt === undefined);
  }

  /** Feeds one snapshot of the manager's lists. */
  async observe(tasks: Task[], services: Service[]): Promise<void> {
    const before = this.lastTasks;
    this.lastTasks = tasks;
    let changed = false;
    if (before && before !== tasks) {
      const open = this.episodes.filter((e) => e.convergedAt === undefined);
      const found = detectLosses(before, tasks, services, open);
      if (found.length > 0) {
        this.episodes = [...this.episodes, ...found].slice(-this.keep);
        changed = true;
      }
    }
    const next = await Promise.all(
      this.episodes.map(async (e) => {
        if (e.convergedAt !== undefined) return e;
        const service = services.find((s) => s.id === e.serviceId);
        let advanced = advanceEpisode(e, tasks, service, undefined);
        const replacement = tasks.find((t) => t.id === advanced.replacementTaskId);
        if (
          advanced.runningAt !== undefined &&
          advanced.hasHealthcheck &&
          advanced.healthyAt === undefined &&
          replacement
        ) {
          const health = await this.options.healthOf(replacement).catch(() => undefined);
          advanced = advanceEpisode(e, tasks, service, health);
        }
        return advanced;
      }),
    );
    if (next.some((e, i) => e !== this.episodes[i])) changed = true;
    this.episodes = next;
    if (changed) this.options.onChange(this.episodes);
  }
}
