import type { FaultRecord } from '../domain/fault.js';
import { EngineError } from '../docker/errors.js';
import type { UndoOutcome } from './fault-module.js';
import type { FaultPorts } from './fault-ports.js';
import { faultModule } from './registry.js';

export type { UndoOutcome };

/** Puts back what a fault changed, exactly as captured before it (its kind's module knows how). */
export async function runUndo(record: FaultRecord, ports: FaultPorts): Promise<UndoOutcome> {
  if (record.undo.kind === 'none') return 'done';
  try {
    return await faultModule(record.kind).undo(record.undo, ports, record.target.nodeName);
  } catch (error) {
    // A container, service or node that is gone has nothing left to undo.
    if (error instanceof EngineError && error.kind === 'not-found') return 'gone';
    throw error;
  }
}
