import type { ContainerFacts } from '../domain/task-cause.js';
import type { EngineEvent, Task } from '../domain/types.js';

/** The fact a container event adds, if any. */
export function factOf(event: EngineEvent): ContainerFacts | undefined {
  if (event.type !== 'container') return undefined;
  if (event.action === 'oom') return { oom: true };
  if (event.action === 'health_status: unhealthy') return { unhealthy: true };
  // Recovered health clears the mark: only a container that ended unhealthy was killed for it.
  if (event.action === 'health_status: healthy') return { unhealthy: false };
  if (event.action === 'kill' && event.signal) return { killSignal: event.signal };
  if (event.action === 'die')
    return {
      died: {
        at: event.time,
        ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
      },
    };
  return undefined;
}

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
