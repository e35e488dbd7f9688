import type { FaultPorts } from '../faults/fault-ports.js';
import { phasesOf, type RecoveryEpisode } from '../domain/recovery.js';
import { slotNameOf } from '../domain/task-slots.js';
import type { TaskCause } from '../domain/task-cause.js';
import { isTerminal } from '../domain/task-state.js';
import type { ContainerHealth, Service, Task } from '../domain/types.js';
import type { Journal } from './journal.js';

/**
 * Writes what Swarm did to the services a run touched: each task state change (with Swarm's
 * own timestamp), health changes, OOM kills (from the dead container's State.OOMKilled) and each
 * recovery whenever one of its phases lands.
 */
export class TaskJournal {
  /** Service id (or "*") → when the run first touched it. */
  private readonly touched = new Map<string, number>();
  private readonly seen = new Map<string, string>();
  private readonly healthSeen = new Map<string, string>();
  private readonly oomSeen = new Set<string>();
  private readonly phaseSeen = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly slots = new Map<string, { service: string; slot: string }>();
  /** Task id → its container, for the tasks of touched services. */
  private readonly containers = new Map<string, string>();

  constructor(
    private readonly journal: Pick<Journal, 'write'>,
    private readonly ports: FaultPorts,
    private readonly nodeName: (nodeId: string) => string = (id) => id.slice(0, 12),
    /** Why a task ended, beyond its exit code (its container's events). */
    private readonly causeOf: (task: Task) => TaskCause | undefined = () => undefined,
  ) {}

  /** From now on, journal this service's tasks ("*": every service, for a node drain). */
  touch(serviceId: string): void {
    if (!this.touched.has(serviceId)) this.touched.set(serviceId, Date.now());
  }

  /** The services touched so far (ids; "*" is left out). */
  touchedServices(): string[] {
    return [...this.touched.keys()].filter((id) => id !== '*');
  }

  /** Journals task changes of touched services since the last snapshot. */
  observe(tasks: Task[], services: Service[]): void {
    for (const s of services) this.names.set(s.id, s.name);
    if (this.touched.size === 0) return;
    const all = this.touched.get('*');
    for (const t of tasks) {
      const since = this.touched.get(t.serviceId) ?? all;
      if (since === undefined) continue;
      const service = this.names.get(t.serviceId) ?? t.serviceId;
      const slot = slotNameOf(service, t, this.nodeName);
      if (t.containerId) {
        this.slots.set(t.containerId, { service, slot });
        this.containers.set(t.id, t.containerId);
      }
      const key = `${t.state}/${t.desiredState}`;
      const before = this.seen.get(t.id);
      this.seen.set(t.id, key);
      // A task that had ended before the run touched its service is history, not news.
      if (before === key || (before === undefined && isTerminal(t.state) && t.stateSince < since))
        continue;
      this.journal.write({
        type: 'task',
        service,
        slot,
        task: t.id,
        node: t.nodeId,
        state: t.state,
        desired: t.desiredState,
        at: t.stateSince,
        ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}),
        ...(t.error ? { error: t.error } : {}),
        ...causeField(isTerminal(t.state) ? this.causeOf(t) : undefined),
      });
      if (before !== undefined && isTerminal(t.state) && t.containerId)
        void this.checkOom(t, service, slot);
    }
  }

  /** An engine's `oom` event: the kernel killed a process in a touched task's container. */
  oomEvent(containerId: string, at: number): void {
    const where = this.slots.get(containerId);
    // Not touched, or already journaled from the dead container's inspect.
    if (!where || this.oomSeen.has(containerId)) return;
    this.oomSeen.add(containerId);
    this.journal.write({ type: 'oom', ...where, container: containerId, at });
  }

  /** Whether the task's container was OOM-killed (its event, or its State.OOMKilled). */
  oomKilled(taskId: string): boolean {
    const container = this.containers.get(taskId);
    return container !== undefined && this.oomSeen.has(container);
  }

  /** Journals a container's health status when it changed. */
  health(containerId: string, health: ContainerHealth): void {
    const where = this.slots.get(containerId);
    if (!where || health.status === 'none') return;
    if (this.healthSeen.get(containerId) === health.status) return;
    this.healthSeen.set(containerId, health.status);
    this.journal.write({
      type: 'health',
      ...where,
      container: containerId,
      status: health.status,
      ...(health.paused ? { paused: true } : {}),
    });
  }

  /** Journals each recovery whose phases moved. */
  recoveries(episodes: RecoveryEpisode[]): void {
    for (const e of episodes) {
      const key = JSON.stringify([phasesOf(e), e.retries, e.replacementTaskId, e.cause]);
      if (this.phaseSeen.get(e.id) === key) continue;
      this.phaseSeen.set(e.id, key);
      this.journal.write({ type: 'recovery', episode: e });
    }
  }

  private async checkOom(t: Task, service: string, slot: string): Promise<void> {
    try {
      const health = await this.ports.containerPort(t.nodeId)?.inspectHealth(t.containerId!);
      // The event stream may have told already (the console follows it).
      if (health?.oomKilled && !this.oomSeen.has(t.containerId!)) {
        this.oomSeen.add(t.containerId!);
        this.journal.write({
          type: 'oom',
          service,
          slot,
          container: t.containerId!,
          at: health.finishedAt ?? t.stateSince,
        });
      }
    } catch {
      // The container is gone (task history trimmed): Swarm's exit code is in the task line.
    }
  }
}

const causeField = (cause: TaskCause | undefined) => (cause ? { cause } : {});
