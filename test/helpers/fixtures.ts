import type { ContainerHealth, Service, SwarmNode, Task } from '../../source/domain/types.js';

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

/** A running, healthy container with no probes yet. */
export function containerHealth(partial: Partial<ContainerHealth> = {}): ContainerHealth {
  return {
    containerId: 'c',
    status: 'healthy',
    failingStreak: 0,
    probes: [],
    state: 'running',
    running: true,
    paused: false,
    oomKilled: false,
    exitCode: 0,
    restartCount: 0,
    ...partial,
  };
}
