import { z } from 'zod';
import { FAULT_KINDS, type FaultRecord } from '../domain/fault.js';

const id = z.string().min(1);
const cpuLimits = z.object({ nanoCpus: z.number(), cpuQuota: z.number(), cpuPeriod: z.number() });
const memoryLimits = z.object({ memory: z.number(), memorySwap: z.number() });

const undoSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('unpause'), containerId: id, nodeId: id }),
  z.object({ kind: z.literal('cpu'), containerId: id, nodeId: id, previous: cpuLimits }),
  z.object({ kind: z.literal('memory'), containerId: id, nodeId: id, previous: memoryLimits }),
  z.object({
    kind: z.literal('service-limits'),
    serviceId: id,
    previous: z.object({ nanoCpus: z.number().optional(), memoryBytes: z.number().optional() }),
  }),
  z.object({
    kind: z.literal('availability'),
    nodeId: id,
    previous: z.enum(['active', 'pause', 'drain']),
  }),
  z.object({
    kind: z.literal('net'),
    containerId: id,
    nodeId: id,
    method: z.enum(['nsenter', 'helper']),
    commands: z.array(z.array(z.string())),
  }),
]);

const time = z.number().int().nonnegative();

/** One ledger entry, as chaosdeck writes it (version 1). */
export const faultRecordSchema = z.object({
  id,
  kind: z.enum(FAULT_KINDS),
  target: z.object({
    serviceId: z.string(),
    serviceName: z.string(),
    taskId: z.string(),
    slotName: z.string(),
    containerId: z.string(),
    nodeId: z.string(),
    nodeName: z.string(),
  }),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  appliedAt: time,
  endsAt: time.optional(),
  undo: undoSpec,
  status: z.enum(['applying', 'active', 'undo-failed']),
  error: z.string().optional(),
  dryRun: z.boolean().optional(),
  pid: z.number().int().positive(),
  pidStart: z.string().optional(),
  appliedBy: z.number().int().optional(),
}) satisfies z.ZodType<FaultRecord>;

/** The ledger file: a version and a list of entries, each checked on its own. */
export const ledgerFileSchema = z.object({
  version: z.literal(1),
  faults: z.array(z.unknown()),
});

/** The first problem zod found, as "target.serviceName: expected string". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'does not match';
  const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${at}${issue.message}`;
}
