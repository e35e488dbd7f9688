import { describeFault, type FaultRecord } from '../domain/fault.js';

/** One line naming a fault and its target, for lists, dialogs and summaries. */
export function faultSummary(r: FaultRecord): string {
  const when = new Date(r.appliedAt).toISOString().slice(0, 19).replace('T', ' ');
  return `${describeFault(r.kind, r.params)} on ${r.target.slotName} (container ${r.target.containerId.slice(0, 12)} on ${r.target.nodeName}), applied ${when} by pid ${r.pid}${r.status === 'undo-failed' ? `, undo failed: ${r.error}` : ''}`;
}
