import { z } from 'zod';
import type { FaultRecord } from '../domain/fault.js';
import { faultModule, FAULT_KINDS, isFaultKind } from '../faults/registry.js';

const id = z.string().min(1);

// The undo's own fields are checked by its kind's module (below): the ledger names no kind.
const undoSpec = z.looseObject({ kind: z.string().min(1) });

const time = z.number().int().nonnegative();

/** One ledger entry, as chaosdeck writes it (version 1). */
export const faultRecordSchema = z
  .object({
    id,
    kind: z.string().refine(isFaultKind, {
      error: (i) =>
        `not a fault kind of this chaosdeck (${FAULT_KINDS.join(', ')}): ${String(i.input)}`,
    }),
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
    inSwarm: z.boolean().optional(),
    owner: z.string().optional(),
    aliveAt: z.number().optional(),
  })
  .superRefine((r, ctx) => {
    if (r.undo.kind === 'none' || !isFaultKind(r.kind)) return;
    const check = faultModule(r.kind).undoSchema.safeParse(r.undo);
    for (const issue of check.success ? [] : check.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['undo', ...issue.path] });
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
