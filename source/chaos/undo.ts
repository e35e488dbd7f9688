import type { UndoSpec } from '../domain/fault.js';
import { EngineError } from '../docker/errors.js';
import { portFor, type FaultPorts } from './prepare.js';

/**
 * How an undo ended: done; the target no longer exists; or its container died (killed, OOM) and
 * nothing is left to put back on it (Swarm's replacement starts from the service's own spec).
 */
export type UndoOutcome = 'done' | 'gone' | 'died';

/** Puts back what a fault changed, exactly as captured before it. */
export async function runUndo(
  undo: UndoSpec,
  ports: FaultPorts,
  nodeName: string,
): Promise<UndoOutcome> {
  try {
    switch (undo.kind) {
      case 'none':
        return 'done';
      case 'unpause': {
        const port = portFor(ports, undo.nodeId, nodeName);
        const res = await port.inspectResources(undo.containerId);
        if (!res) return 'gone';
        if (!res.running) return 'died';
        if (res.paused) await port.unpause(undo.containerId);
        return 'done';
      }
      case 'cpu': {
        const port = portFor(ports, undo.nodeId, nodeName);
        const res = await port.inspectResources(undo.containerId);
        if (!res) return 'gone';
        if (!res.running) return 'died';
        const p = undo.previous;
        await port.updateCpu(
          undo.containerId,
          p.nanoCpus > 0
            ? { nanoCpus: p.nanoCpus }
            : { cpuQuota: p.cpuQuota, cpuPeriod: p.cpuPeriod },
        );
        return 'done';
      }
      case 'memory': {
        const port = portFor(ports, undo.nodeId, nodeName);
        const res = await port.inspectResources(undo.containerId);
        if (!res) return 'gone';
        if (!res.running) return 'died';
        await port.updateMemory(undo.containerId, undo.previous);
        return 'done';
      }
      case 'net': {
        const port = portFor(ports, undo.nodeId, nodeName);
        const res = await port.inspectResources(undo.containerId);
        if (!res) return 'gone';
        if (!res.running) return 'died';
        for (const argv of undo.commands) {
          const r = await port.netExec(undo.containerId, argv, undo.method);
          if (r.exitCode !== 0)
            throw new Error(`${argv.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
        }
        return 'done';
      }
      case 'service-limits':
        await ports.swarm.setServiceLimits(undo.serviceId, undo.previous);
        return 'done';
      case 'availability':
        await ports.swarm.setNodeAvailability(undo.nodeId, undo.previous);
        return 'done';
    }
  } catch (error) {
    // A container, service or node that is gone has nothing left to undo.
    if (error instanceof EngineError && error.kind === 'not-found') return 'gone';
    throw error;
  }
}
