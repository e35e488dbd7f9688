import { formatAge } from '../domain/duration.js';
import { isTerminal } from '../domain/task-state.js';
import type { Task } from '../domain/types.js';

/**
 * The current-state cell of a task: "running 12s" for a live state (how long it has been in it),
 * "failed 3s ago" for an ended one (when it ended), like `docker service ps` but shorter.
 */
export function stateWithAge(task: Pick<Task, 'state' | 'stateSince'>, now: number): string {
  const age = formatAge(now - task.stateSince);
  return isTerminal(task.state) ? `${task.state} ${age} ago` : `${task.state} ${age}`;
}
