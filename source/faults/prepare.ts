import type { FaultKind, FaultTarget, UndoSpec } from '../domain/fault.js';
import { readDuration } from '../format/user-input.js';
import { FaultError } from './fault-error.js';
import type { FaultPorts } from './fault-ports.js';
import { faultModule } from './registry.js';

/** A fault as the user asked for it: raw field values from the prompt, flags or arguments. */
export interface FaultRequest {
  kind: FaultKind;
  target: FaultTarget;
  params: Record<string, string>;
  /**
   * A command's --for on a kind without a window field (drain): the command holds it that long,
   * and the record says when it ends, so the cluster's watchdog ends it too.
   */
  holdMs?: number;
}

/** A checked fault, ready to apply, with its undo captured from the live target. */
export interface PreparedFault {
  kind: FaultKind;
  target: FaultTarget;
  params: Record<string, string | number>;
  description: string;
  durationMs?: number;
  undo: UndoSpec;
  apply(): Promise<void>;
}

function parseWindow(text: string | undefined): number | undefined {
  if (!text || text.trim() === '') return undefined;
  const ms = readDuration(text, '30s, 2m or 1500ms; empty: until undone');
  if (typeof ms !== 'number') throw new FaultError(ms.error);
  return ms;
}

/**
 * Checks a fault against the live target and captures its undo, without changing anything: its
 * kind's module does the checking, this adds the window. Called for the confirmation and again
 * right before applying (the target may have changed).
 */
export async function prepareFault(req: FaultRequest, ports: FaultPorts): Promise<PreparedFault> {
  const { kind, target } = req;
  const module = faultModule(kind);
  const durationMs = module.traits.windowed ? parseWindow(req.params.duration) : req.holdMs;
  const change = await module.prepare(target, req.params, ports);
  const params = {
    ...change.params,
    ...(durationMs && module.traits.windowed ? { duration: req.params.duration!.trim() } : {}),
  };
  return {
    kind,
    target,
    ...(durationMs ? { durationMs } : {}),
    description: module.describe(params),
    params,
    undo: change.undo,
    apply: () => change.apply(),
  };
}
