import { factOf, taskCause, type ContainerFacts, type TaskCause } from '../domain/task-cause.js';
import type { ContainerHealth, EngineEvent, Task } from '../domain/types.js';

/** How many containers' facts are kept (the newest); a long game day sees many come and go. */
const KEPT = 1000;

/**
 * What the engines told of containers (a kill and its signal, an OOM, unhealthy and after how
 * many failing probes, a death) and which kills were chaosdeck's own: the one record of them.
 * The game day names why a task ended from it in the journal and the report; the console
 * mirrors it to name the cause in its rows and show a death before Swarm lists it.
 */
export class CauseFacts {
  private readonly facts = new Map<string, ContainerFacts>();

  /** `onChange` hears of every new fact (the console reads them all back, in batches). */
  constructor(private readonly onChange: () => void = () => undefined) {}

  /** An engine event (any container: an outside kill names no fault's target). */
  note(event: EngineEvent): void {
    const fact = factOf(event);
    if (fact) this.merge(event.id, fact);
  }

  /**
   * An inspection's health: how many probes had failed in a row while it ran unhealthy. Not once
   * it has stopped: a probe cut short by a kill counts as failed (Docker then reads unhealthy,
   * streak 1), and would outrank the kill that ended it.
   */
  noteHealth(containerId: string, health: ContainerHealth): void {
    if (health.running && health.status === 'unhealthy' && health.failingStreak > 0)
      this.merge(containerId, { unhealthy: true, failingProbes: health.failingStreak });
  }

  /**
   * chaosdeck killed or stopped this container (a fault of this run), with the signal it
   * sent when it chose one: a command follows no event stream, and still names its own kill.
   */
  markChaosdeck(containerId: string, how: 'kill' | 'stop', signal?: string): void {
    this.merge(
      containerId,
      how === 'stop'
        ? { stoppedByChaosdeck: true }
        : { killedByChaosdeck: true, ...(signal ? { killSignal: signal } : {}) },
    );
  }

  /** Why the task ended, where the facts say more than Swarm's exit code. */
  causeOf(task: Task): TaskCause | undefined {
    return taskCause(task, task.containerId ? this.facts.get(task.containerId) : undefined);
  }

  /** Every container's facts, by container id (a copy). */
  all(): Record<string, ContainerFacts> {
    return Object.fromEntries(this.facts);
  }

  private merge(containerId: string, fact: ContainerFacts): void {
    const next = { ...this.facts.get(containerId), ...fact };
    // Re-inserted: the map's order is then the order of the latest fact.
    this.facts.delete(containerId);
    this.facts.set(containerId, next);
    if (this.facts.size > KEPT) this.facts.delete(this.facts.keys().next().value!);
    this.onChange();
  }
}
