import type { Service, Task } from './types.js';

/** The tasks of one replica slot (or one node, for a global service), newest first. */
export interface TaskSlot {
  /**
   * "web.1" for replicated services, as `docker service ps` names them; "web.labw2" for a global
   * service, by its node's hostname (`docker service ps` shows the node id there).
   */
  name: string;
  current: Task;
  /** Earlier attempts of the same slot, newest first. */
  history: Task[];
}

function slotKey(task: Task): string {
  return task.slot === undefined ? `n:${task.nodeId}` : `s:${String(task.slot).padStart(6, '0')}`;
}

/**
 * A task's slot: "web.1" as `docker service ps` names it, or "web.<node>" for a global service
 * (`nodeName` turns the node id into the hostname the console shows; `docker service ps` shows
 * the id there).
 */
export function slotNameOf(
  serviceName: string,
  task: Pick<Task, 'slot' | 'nodeId'>,
  nodeName: (nodeId: string) => string = (id) => id,
): string {
  return `${serviceName}.${task.slot === undefined ? nodeName(task.nodeId) : task.slot}`;
}

/**
 * Groups a service's tasks by slot like `docker service ps`: slots in order, and inside a slot
 * the newest task first, so the current attempt leads and the earlier ones follow it.
 */
export function groupTaskSlots(
  service: Pick<Service, 'id' | 'name'>,
  tasks: Task[],
  nodeName: (nodeId: string) => string = (id) => id,
): TaskSlot[] {
  const bySlot = new Map<string, Task[]>();
  for (const task of tasks) {
    if (task.serviceId !== service.id) continue;
    const key = slotKey(task);
    const list = bySlot.get(key);
    if (list) list.push(task);
    else bySlot.set(key, [task]);
  }
  const keys = [...bySlot.keys()].sort();
  return keys.map((key) => {
    const list = bySlot
      .get(key)!
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    const [current, ...history] = list as [Task, ...Task[]];
    return { name: slotNameOf(service.name, current, nodeName), current, history };
  });
}

/**
 * Services with `running` counted from the task list (running and meant to run), which is
 * fresher than the last service list; with `covered`, only for the services whose tasks were
 * listed. Unchanged services keep their identity.
 */
export function withRunningCounts(
  services: Service[],
  tasks: Task[],
  covered?: ReadonlySet<string>,
): Service[] {
  const running = new Map<string, number>();
  for (const t of tasks) {
    if (t.state === 'running' && t.desiredState === 'running')
      running.set(t.serviceId, (running.get(t.serviceId) ?? 0) + 1);
  }
  return services.map((s) => {
    if (covered && !covered.has(s.id)) return s;
    const count = running.get(s.id) ?? 0;
    return count === s.running ? s : { ...s, running: count };
  });
}
