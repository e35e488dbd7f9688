import type { Service, SwarmNode, Task } from '../../source/domain/types.js';

/** A service with sensible defaults. */
export function service(partial: Partial<Service> & Pick<Service, 'id' | 'name'>): Service {
  return {
    mode: 'replicated',
    desired: 1,
    running: 1,
    image: 'demo/busybox:local',
    ports: [],
    labels: {},
    hasHealthcheck: false,
    restartDelayMs: 5000,
    ...partial,
  };
}

/** A task with sensible defaults. */
export function task(partial: Partial<Task> & Pick<Task, 'id' | 'serviceId'>): Task {
  return {
    slot: 1,
    nodeId: 'n1',
    desiredState: 'running',
    state: 'running',
    stateSince: 1_000,
    createdAt: 1_000,
    message: 'started',
    ...partial,
  };
}

/** A ready manager node. */
export function node(partial: Partial<SwarmNode> & Pick<SwarmNode, 'id' | 'hostname'>): SwarmNode {
  return {
    role: 'manager',
    availability: 'active',
    ready: true,
    leader: false,
    labels: {},
    ...partial,
  };
}
