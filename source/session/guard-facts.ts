import type { FaultPorts, FaultRequest } from '../chaos/prepare.js';
import type { Service, Task } from '../domain/types.js';

/**
 * Health of the target's other running replicas, for the last-healthy-replica guard: one inspect
 * each, on the node that runs it; unknown (undefined) where no engine answers.
 */
export async function otherReplicasHealth(
  ports: FaultPorts,
  request: FaultRequest,
  service: Service,
  serviceTasks: Task[],
): Promise<Record<string, boolean | undefined>> {
  const healthy: Record<string, boolean | undefined> = {};
  if (!service.hasHealthcheck) return healthy;
  const others = serviceTasks.filter(
    (t) => t.id !== request.target.taskId && t.state === 'running' && t.containerId,
  );
  await Promise.all(
    others.map(async (t) => {
      const port = ports.containerPort(t.nodeId);
      if (!port) return;
      try {
        healthy[t.containerId!] = (await port.inspectHealth(t.containerId!))?.status === 'healthy';
      } catch {
        healthy[t.containerId!] = undefined;
      }
    }),
  );
  return healthy;
}
