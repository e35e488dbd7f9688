import { factOf, taskCause, type ContainerFacts, type TaskCause } from '../domain/task-cause.js';
import type { EngineEvent, Task } from '../domain/types.js';

/** How many containers' facts are kept (the newest); a long game day sees many come and go. */
const KEPT = 1000;

/**
 * What the engines' events told of containers (a kill and its signal, an OOM, unhealthy, a
 * death) and which kills were chaosdeck's own: the game day names why a task ended from it in
 * the journal and the report, as the console names it on screen.
 */
export class CauseFacts {
  private readonly facts = new Map<string, ContainerFacts>();

  /** An engine event (any container: an outside kill names no fault's target). */
  note(event: EngineEvent): void {
    const fact = factOf(event);
    if (fact) this.merge(event.id, fact);
  }

  /**
   * chaosdeck killed or stopped this container (a fault of this session), with the signal it
   * sent when it chose one: a command follows no event stream, and still names its own kill.
   */
  markChaosdeck(containerId: string, signal?: string): void {
    this.merge(containerId, { killedByChaosdeck: true, ...(signal ? { killSignal: signal } : {}) });
  }

  /** Why the task ended, where the facts say more than Swarm's exit code. */
  causeOf(task: Task): TaskCause | undefined {
    return taskCause(task, task.containerId ? this.facts.get(task.containerId) : undefined);
  }

  private merge(containerId: string, fact: ContainerFacts): void {
    const next = { ...this.facts.get(containerId), ...fact };
    // Re-inserted: the map's order is then the order of the latest fact.
    this.facts.delete(containerId);
    this.facts.set(containerId, next);
    if (this.facts.size > KEPT) this.facts.delete(this.facts.keys().next().value!);
  }
}
