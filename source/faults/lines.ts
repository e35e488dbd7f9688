import type { FaultRecord, FaultTarget } from '../domain/fault.js';
import { faultModule } from './registry.js';

/** One line naming what a fault does, for confirmations, the audit log and the faults pane. */
export function describeFault(kind: string, params: Record<string, string | number>): string {
  return faultModule(kind).describe(params);
}

/**
 * Where a fault acts, in words: "lab_web.1 (container 1a2b3c on vm)", or for a fault on a node
 * (partition) "node labw1 (where lab_worker.labw1 runs)", "node labw1" from a command.
 */
export function faultTargetText(
  kind: string,
  t: Pick<FaultTarget, 'slotName' | 'containerId' | 'nodeName'>,
): string {
  if (faultModule(kind).commandTarget === 'node')
    return `node ${t.nodeName}${t.containerId && t.slotName !== t.nodeName ? ` (where ${t.slotName} runs)` : ''}`;
  return `${t.slotName} (container ${t.containerId.slice(0, 12)} on ${t.nodeName})`;
}

/** One line naming a fault and its target, for lists, dialogs and summaries. */
export function faultSummary(r: FaultRecord, withError = true): string {
  const when = new Date(r.appliedAt).toISOString().slice(0, 19).replace('T', ' ');
  // The pid that applied it, not the restore that took it over.
  const pid = r.appliedBy ?? r.pid;
  return `${describeFault(r.kind, r.params)} on ${faultTargetText(r.kind, r.target)}, applied ${when} by pid ${pid}${withError && r.status === 'undo-failed' ? `, undo failed: ${r.error}` : ''}`;
}

/** A fault that ended with its target (the task died or Swarm removed it), for the notice line. */
export function settledLine(r: FaultRecord, why: string): string {
  return `${r.target.slotName}: ${why}; its ${r.kind} fault ended with it (nothing to put back)`;
}
