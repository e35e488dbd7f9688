import type { FaultService } from '../session/fault-service.js';
import type { FaultRecord } from '../domain/fault.js';
import { isTerminal } from '../domain/task-state.js';
import type { Task } from '../domain/types.js';
import type { DeckStore } from './deck-store.js';

/** Faults that live on one container (a pause, a limit, a network window). */
function onContainer(f: FaultRecord): boolean {
  return ['unpause', 'cpu', 'memory', 'net'].includes(f.undo.kind);
}

/** The task's state once Swarm reports its container stopped (killed, OOM, failed). */
function stoppedState(f: FaultRecord, tasks: Task[]): string | undefined {
  const task = tasks.find((t) => t.id === f.target.taskId);
  return task && isTerminal(task.state) ? task.state : undefined;
}

/**
 * Watches the task list for targets of active faults that died (docker kill, OOM kill): such a
 * fault is settled at once (its undo finds the container stopped and says so) instead of staying
 * listed as active until quit claims to "undo" it. Returns the stop function.
 */
export function watchFaultTargets(
  store: DeckStore,
  chaos: Pick<FaultService, 'undoWhere'>,
): () => void {
  const settling = new Set<string>();
  const check = () => {
    const { faults, tasks, actions } = store.getState();
    for (const f of faults) {
      if (f.status !== 'active' || !onContainer(f) || settling.has(f.id)) continue;
      const state = stoppedState(f, tasks);
      if (!state) continue;
      settling.add(f.id);
      void chaos
        .undoWhere((r) => r.id === f.id)
        .then((summary) => {
          if (summary.died.length > 0)
            actions.setNotice(
              `${f.target.slotName} ${state}: its ${f.kind} fault ended with its container (Swarm's replacement runs with the service's own settings)`,
              'warn',
            );
        })
        .finally(() => settling.delete(f.id));
    }
  };
  return store.subscribe(check);
}
