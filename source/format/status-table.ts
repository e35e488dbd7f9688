import { groupTaskSlots } from '../domain/task-slots.js';
import type { Service, SwarmNode, Task } from '../domain/types.js';
import { formatPorts } from './service-rows.js';
import { stateWithAge } from './state-age.js';
import { exitCell } from './task-rows.js';

/** One row of the one-shot status table. */
export interface StatusRow extends Record<string, string | number> {
  service: string;
  mode: string;
  replicas: string;
  image: string;
  ports: string;
  tasks: string;
}

/** Rows for `chaosdeck status`: each service with a summary of its current tasks. */
export function statusRows(
  services: Service[],
  tasks: Task[],
  nodes: SwarmNode[],
  now: number,
): StatusRow[] {
  const host = (id: string) => nodes.find((n) => n.id === id)?.hostname ?? id.slice(0, 12);
  return [...services]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s) => ({
      service: s.name,
      mode: s.mode,
      replicas: `${s.running}/${s.desired}${s.running !== s.desired ? ' !' : ''}`,
      image: s.image,
      ports: formatPorts(s.ports),
      tasks: groupTaskSlots(s, tasks, host)
        .map((slot) => {
          const t = slot.current;
          const exit = exitCell(t);
          return `${host(t.nodeId)}:${stateWithAge(t, now)}${exit ? ` exit ${exit}` : ''}`;
        })
        .join(', '),
    }));
}
