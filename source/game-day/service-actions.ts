import type { AuditLog } from '../chaos/audit.js';
import type { SwarmPort } from '../docker/port.js';
import type { Service } from '../domain/types.js';
import type { JournalBody } from '../record/journal-events.js';

/**
 * An operator's action on a whole service (k9s's scale and restart): not a fault, so nothing
 * undoes it on quit; guarded, audited and journaled like one.
 */
export type ServiceAction = { kind: 'scale'; replicas: number } | { kind: 'restart' };

/** How it went. */
export type ServiceActionResult =
  { outcome: 'done' | 'dry-run' } | { outcome: 'refused' | 'failed'; reason: string };

/** What a service action needs from the run. */
export interface ServiceActionDeps {
  swarm: Pick<SwarmPort, 'scaleService' | 'restartService'>;
  audit: Pick<AuditLog, 'write'>;
  log: (body: JournalBody) => void;
  protect: RegExp[];
  readOnly: boolean;
  dryRun: boolean;
}

function refusal(
  service: Pick<Service, 'name' | 'mode'>,
  action: ServiceAction,
  deps: ServiceActionDeps,
) {
  if (deps.readOnly) return 'read-only: changes are off (--read-only)';
  const rule = deps.protect.find((p) => p.test(service.name));
  if (rule) return `${service.name} is protected (--protect ${rule.source})`;
  if (action.kind === 'scale') {
    if (service.mode !== 'replicated')
      return `${service.name} is global: one task per node, no replica count`;
    if (!Number.isInteger(action.replicas) || action.replicas < 0)
      return `replicas must be a whole number ≥ 0, not ${action.replicas}`;
  }
  return undefined;
}

/** Scales or restarts a service through the manager, after the guards; journaled and audited. */
export async function runServiceAction(
  deps: ServiceActionDeps,
  service: Pick<Service, 'id' | 'name' | 'mode' | 'desired'>,
  action: ServiceAction,
): Promise<ServiceActionResult> {
  const params: Record<string, number> =
    action.kind === 'scale' ? { from: service.desired, replicas: action.replicas } : {};
  const entry = (result: 'ok' | 'failed' | 'dry-run' | 'refused', error?: string) => {
    deps.audit.write({
      action: action.kind,
      target: {
        serviceName: service.name,
        slotName: service.name,
        taskId: '',
        containerId: '',
        nodeName: '',
      },
      params,
      result,
      ...(error ? { error } : {}),
    });
    deps.log({
      type: 'service-action',
      action: action.kind,
      service: service.name,
      ...(action.kind === 'scale' ? { from: service.desired, to: action.replicas } : {}),
      outcome: result === 'ok' ? 'done' : result,
      ...(error ? { error } : {}),
    });
  };
  const refused = refusal(service, action, deps);
  if (refused) {
    entry('refused', refused);
    return { outcome: 'refused', reason: refused };
  }
  if (deps.dryRun) {
    entry('dry-run');
    return { outcome: 'dry-run' };
  }
  try {
    if (action.kind === 'scale') await deps.swarm.scaleService(service.id, action.replicas);
    else await deps.swarm.restartService(service.id);
  } catch (error) {
    const reason = (error as Error).message;
    entry('failed', reason);
    return { outcome: 'failed', reason };
  }
  entry('ok');
  return { outcome: 'done' };
}
