import type { FaultRecord } from '../domain/fault.js';
import { isTerminal } from '../domain/task-state.js';
import type { Service, Task } from '../domain/types.js';
import { faultHome } from '../faults/registry.js';

/** Faults that live on one container (a pause, a limit, a network window). */
function onContainer(f: FaultRecord): boolean {
  return faultHome(f) === 'container';
}

/** A fault whose target is no more, and why (journal and notice wording). */
export interface LostTarget {
  record: FaultRecord;
  /** "scaled down: Swarm removed its task", "its task failed", "its service was removed". */
  why: string;
}

/**
 * The active faults whose container went away with its task, from one snapshot of the manager's
 * lists: the task ended (a kill, an OOM, a shutdown), Swarm removed it (a scale down, a service
 * update), or the service itself is gone. Only services whose tasks the snapshot listed
 * (`covered`) are judged: a task not listed elsewhere says nothing.
 */
export function lostTargets(
  faults: readonly FaultRecord[],
  tasks: readonly Task[],
  services: readonly Service[],
  covered: ReadonlySet<string>,
): LostTarget[] {
  const lost: LostTarget[] = [];
  for (const record of faults) {
    if (record.status !== 'active' || record.dryRun || !onContainer(record)) continue;
    const serviceId = record.target.serviceId;
    if (!services.some((s) => s.id === serviceId)) {
      lost.push({ record, why: 'its service was removed' });
      continue;
    }
    if (!covered.has(serviceId)) continue;
    const task = tasks.find((t) => t.id === record.target.taskId);
    if (!task) lost.push({ record, why: 'Swarm removed its task (scaled down or updated)' });
    else if (task.desiredState === 'remove' && isTerminal(task.state))
      lost.push({ record, why: `Swarm removed its task (scaled down; ${task.state})` });
    else if (isTerminal(task.state)) lost.push({ record, why: `its task ${task.state}` });
  }
  return lost;
}
