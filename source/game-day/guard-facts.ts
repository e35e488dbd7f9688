import { takesReplicaOut, type OutOfService } from '../chaos/guards.js';
import type { FaultPorts } from '../faults/fault-ports.js';
import type { FaultRequest } from '../faults/prepare.js';
import type { FaultRecord } from '../domain/fault.js';
import type { Service, Task } from '../domain/types.js';

/** What the replica guards need to know of the target's other running replicas. */
export interface OtherReplicas {
  /** Health by container (true = healthy); unknown (undefined) where no engine answers. */
  healthyByContainer: Record<string, boolean | undefined>;
  /** Those that run but do not serve, with why. */
  outOfService: Record<string, OutOfService>;
}

/**
 * The target's other running replicas as the guards see them: one inspect each, on the node that
 * runs it (health, and whether Docker says it is paused; through helpers only for a healthcheck),
 * and the active faults in the ledger
 * (every chaosdeck of this user: a pause a finished command left counts too) that take a replica
 * out of service.
 */
export async function otherReplicas(
  ports: FaultPorts,
  request: FaultRequest,
  service: Service,
  serviceTasks: Task[],
  activeFaults: readonly FaultRecord[],
): Promise<OtherReplicas> {
  const healthyByContainer: Record<string, boolean | undefined> = {};
  const outOfService: Record<string, OutOfService> = {};
  const others = serviceTasks.filter(
    (t) => t.id !== request.target.taskId && t.state === 'running' && t.containerId,
  );
  for (const f of activeFaults)
    if (takesReplicaOut(f.kind) && !f.dryRun && f.target.serviceId === service.id)
      outOfService[f.target.containerId] = f.kind;
  await Promise.all(
    others.map(async (t) => {
      const id = t.containerId!;
      const port = ports.containerPort(t.nodeId);
      // A node reached through helpers pays a Swarm task per look: its replicas are looked at
      // for their health only (a pause by hand there is not seen; chaosdeck's own faults are).
      if (!port || (port.costly && !service.hasHealthcheck)) return;
      try {
        const health = await port.inspectHealth(id);
        if (service.hasHealthcheck) healthyByContainer[id] = health?.status === 'healthy';
        // Docker's word beats the ledger's: paused by hand, or by a chaosdeck of another user.
        if (health?.paused) outOfService[id] = 'paused';
      } catch {
        healthyByContainer[id] = undefined;
      }
    }),
  );
  return { healthyByContainer, outOfService };
}
