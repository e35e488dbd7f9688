import type { Task } from '../domain/types.js';

/**
 * Health of containers the task list still knows; Swarm forgets old tasks (task history
 * limit), and a long game day would otherwise keep every killed container's health forever.
 */
export function keepKnown<T>(health: Record<string, T>, tasks: Task[]): Record<string, T> {
  const known = new Set(tasks.map((t) => t.containerId));
  const ids = Object.keys(health);
  if (ids.every((id) => known.has(id))) return health;
  return Object.fromEntries(ids.filter((id) => known.has(id)).map((id) => [id, health[id]!]));
}
