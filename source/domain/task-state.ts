import type { Task, TaskState } from './types.js';

const ORDER: TaskState[] = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'remove',
  'orphaned',
];

/** Position of a state in Swarm's lifecycle (used to compare states). */
export function stateRank(state: TaskState): number {
  return ORDER.indexOf(state);
}

/** True for states a task never leaves. */
export function isTerminal(state: TaskState): boolean {
  return stateRank(state) > stateRank('running');
}

/** True for a task that ended badly (the ones `docker service ps` shows with an error). */
export function isFailure(state: TaskState): boolean {
  return state === 'failed' || state === 'rejected' || state === 'orphaned';
}

/** True while a task is on its way to running (what makes a service "converging"). */
export function isStarting(task: Task): boolean {
  return task.desiredState === 'running' && stateRank(task.state) < stateRank('running');
}

/** Parses a state name from Docker; unknown names map to "pending". */
export function parseTaskState(value: string | undefined): TaskState {
  const s = (value ?? '').toLowerCase() as TaskState;
  return ORDER.includes(s) ? s : 'pending';
}
