import { isStarting } from '../domain/task-state.js';
import type { EngineEvent, Service, Task } from '../domain/types.js';

/** When each list was last fetched and whether an event said it changed since. */
export interface ListFreshness {
  servicesAt: number;
  nodesAt: number;
  servicesDirty: boolean;
  nodesDirty: boolean;
}

/**
 * Which lists a poll fetches besides the tasks (always: one call for the whole swarm): services
 * and nodes when an event said they changed, else at least every `every` ms.
 */
export function listsToFetch(
  f: ListFreshness,
  now: number,
  every: { servicesMs: number; nodesMs: number },
): { services: boolean; nodes: boolean } {
  return {
    services: f.servicesDirty || now - f.servicesAt >= every.servicesMs,
    nodes: f.nodesDirty || now - f.nodesAt >= every.nodesMs,
  };
}

/** What an engine event asks of the sync. */
export interface EventHint {
  /** Poll soon. */
  kick: boolean;
  servicesDirty: boolean;
  nodesDirty: boolean;
  /** Inspect this container's health now. */
  inspect?: string;
}

// Container events that can change a task's state; others (pause, exec_* probes, health_status)
// only change what inspect shows.
const TASK_CHANGING = new Set(['create', 'start', 'die', 'kill', 'stop', 'oom', 'destroy']);

/**
 * Turns an engine event into hints: re-list services or nodes, poll soon, inspect a container.
 * `selected` is the container the console shows; `known` tells whether a container is a task's.
 */
export function hintFor(
  event: EngineEvent,
  selected: string | undefined,
  known: (containerId: string) => boolean,
): EventHint {
  const hint: EventHint = {
    kick: true,
    servicesDirty: event.type === 'service',
    nodesDirty: event.type === 'node',
  };
  if (event.type !== 'container') return hint;
  // A probe ends with exec_die: that is when its result is in the health log.
  const probeStep = event.action.startsWith('exec_create') || event.action.startsWith('exec_start');
  if (selected === event.id && !probeStep) hint.inspect = event.id;
  else if (event.action.startsWith('health_status') && known(event.id)) hint.inspect = event.id;
  hint.kick = TASK_CHANGING.has(event.action) && Boolean(event.taskId);
  return hint;
}

/** True when two lists hold equal items in the same order (shallow, field by field). */
export function sameItems<T extends object>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Record<string, unknown>;
    const y = b[i] as Record<string, unknown>;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const k of keys) {
      const vx = x[k];
      const vy = y[k];
      if (vx === vy) continue;
      // Nested values (ports, labels) are small: compare their JSON.
      if (
        typeof vx !== 'object' ||
        typeof vy !== 'object' ||
        JSON.stringify(vx) !== JSON.stringify(vy)
      )
        return false;
    }
  }
  return true;
}

/** True while any service is away from its desired state (then poll fast). */
export function isConverging(services: Service[], tasks: Task[]): boolean {
  return (
    services.some(
      (s) =>
        s.running !== s.desired ||
        s.updateState === 'updating' ||
        s.updateState === 'rollback_started',
    ) || tasks.some(isStarting)
  );
}
