import type { FaultKind, FaultRecord } from '../domain/fault.js';

/** One line naming a fault and its target, for lists, dialogs and summaries. */
export function faultSummary(r: FaultRecord, withError = true): string {
  const when = new Date(r.appliedAt).toISOString().slice(0, 19).replace('T', ' ');
  // The pid that applied it, not the restore that took it over.
  const pid = r.appliedBy ?? r.pid;
  return `${describeFault(r.kind, r.params)} on ${r.target.slotName} (container ${r.target.containerId.slice(0, 12)} on ${r.target.nodeName}), applied ${when} by pid ${pid}${withError && r.status === 'undo-failed' ? `, undo failed: ${r.error}` : ''}`;
}

/** One line naming what a fault does, for confirmations, the audit log and the faults pane. */
export function describeFault(kind: FaultKind, params: Record<string, string | number>): string {
  const window = params.duration ? ` for ${params.duration}` : '';
  switch (kind) {
    case 'kill':
      return `kill with ${params.signal ?? 'SIGKILL'}`;
    case 'stop':
      return `stop (grace ${params.grace ?? 10}s)`;
    case 'pause':
      return `pause${window}`;
    case 'cpu':
      return `CPU limit ${params.from ?? '?'} → ${params.cpus} CPUs${params.scope === 'service' ? ' (service update)' : ''}${window}`;
    case 'memory':
      return `memory limit ${params.from ?? '?'} → ${params.limit}${params.scope === 'service' ? ' (service update)' : ''}${window}`;
    case 'drain':
      return `drain node`;
    case 'net': {
      const jitter = params.jitter ? `±${params.jitter}` : '';
      const how = params.method ? ` (${params.method})` : '';
      return `${params.type} ${params.amount}${jitter}${how}${window}`;
    }
  }
}

/** A fault that ended with its target (the task died or Swarm removed it), for the notice line. */
export function settledLine(r: FaultRecord, why: string): string {
  return `${r.target.slotName}: ${why}; its ${r.kind} fault ended with it (nothing to put back)`;
}
