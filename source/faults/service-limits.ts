import { z } from 'zod';
import type { ServiceLimits } from '../domain/fault.js';
import type { FaultPorts } from './fault-ports.js';
import type { UndoOutcome } from './fault-module.js';
import { ledgerId } from './shared.js';

/**
 * The undo of a service-scope limit: the service's limits as they were (a service update that
 * restarts the tasks puts them back exactly, where Docker cannot clear a container's limit).
 */
export type ServiceLimitsUndo = {
  kind: 'service-limits';
  serviceId: string;
  previous: ServiceLimits;
};

/** The ledger's check of a ServiceLimitsUndo. */
export const serviceLimitsSchema = z.object({
  kind: z.literal('service-limits'),
  serviceId: ledgerId,
  previous: z.object({ nanoCpus: z.number().optional(), memoryBytes: z.number().optional() }),
});

/** Puts the service's limits back (a service that is gone has nothing to put back). */
export async function undoServiceLimits(
  undo: ServiceLimitsUndo,
  ports: FaultPorts,
): Promise<UndoOutcome> {
  await ports.swarm.setServiceLimits(undo.serviceId, undo.previous);
  return 'done';
}

/** True when the params ask for a service update rather than an in-place change. */
export function serviceScope(params: Record<string, string>): boolean {
  return params.scope?.trim() === 'service';
}
