import type { ContainerPort, SwarmPort } from '../docker/port.js';
import { FaultError } from './fault-error.js';

/** The ports a fault needs: the manager, and the engine of the target's node. */
export interface FaultPorts {
  swarm: SwarmPort;
  containerPort(nodeId: string): ContainerPort | undefined;
}

/** The engine for the target's node, or a FaultError that says how to give one. */
export function portFor(ports: FaultPorts, nodeId: string, nodeName: string): ContainerPort {
  const port = ports.containerPort(nodeId);
  if (!port)
    throw new FaultError(
      `task runs on node ${nodeName}; give --node ${nodeName}=ssh://user@host or unix:///path, or --helpers to reach it through Swarm`,
    );
  return port;
}
